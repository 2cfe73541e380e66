/* test_optim_paper.c — the optimizers torch.optim lacks (lion, adabelief, yogi, lamb)
 * against the closed-form behaviour of each paper's update, and ASGD's averaged iterate
 * against torch.optim.ASGD (tests/data/optim_asgd_ax.tsv, tests/ref/gen_optim.py), and how
 * asgd and rprop follow a changing learning rate.
 *
 * Where a test needs the size of single steps it sets θ to 0 before each step (none of these
 * optimizers reads θ unless weight decay is on), so the new θ is exactly minus the step and
 * no rounding of an accumulated θ hides it.
 */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optim.h"

static lsc_optim *make(const char *spec, int n)
{
    lsc_error e = {0};
    lsc_optim *o = lsc_optim_new(spec, n, "test", &e);
    cr_assert(o, "%s: %s", spec, e.msg);
    return o;
}

static double rel_err(double c, double t)
{
    return fabs(c - t) / fmax(fabs(t), 1e-300);
}

/* one step from θ = 0 with gradient g: returns the step (θ_new) in d */
static void step_from_zero(lsc_optim *o, int n, const double *g, double *d)
{
    for (int i = 0; i < n; i++)
        d[i] = 0;
    cr_assert_eq(lsc_optim_step(o, d, g, NULL), LSC_OK);
}

/* ---- lion ------------------------------------------------------------------------------ */

/* The gradients of lion_signs: a fixed pattern of signs and magnitudes spread over 12
 * decades, times `scale` */
static double lion_grad(int k, int i, double scale)
{
    double mag = pow(10.0, (double)((k * 7 + i * 5) % 13) - 6.0);
    double sgn = ((k / 3 + i) % 4 == 0 || (k * i) % 7 == 3) ? -1.0 : 1.0;
    return scale * sgn * mag;
}

/* Lion, λ = 0: every coordinate of every step is exactly −η, 0 or +η, and the same whatever
 * the gradient's scale (2^−900 ... 2^900: the scaling is exact in m and c, so every sign,
 * hence every step, is bit-identical); g = 0 from the start gives c = 0 and no step. */
Test(lion, steps_are_plus_minus_eta_at_every_scale)
{
    const double scales[] = {1.0, 0x1p-900, 0x1p900, 3.0};
    const double eta = 0.0123;
    enum { N = 6, K = 200 };
    static double ref[K][N];
    for (int s = 0; s < 4; s++) {
        lsc_optim *o = make("lion:lr=0.0123,beta1=0.9,beta2=0.99", N);
        int nonzero = 0, plus = 0;
        for (int k = 0; k < K; k++) {
            double g[N], d[N];
            for (int i = 0; i < N; i++)
                g[i] = lion_grad(k, i, scales[s]);
            step_from_zero(o, N, g, d);
            for (int i = 0; i < N; i++) {
                cr_assert(d[i] == -eta || d[i] == 0 || d[i] == eta, "scale %g step %d: %.17g",
                          scales[s], k, d[i]);
                nonzero += d[i] != 0;
                plus += d[i] > 0;
                if (s == 0)
                    ref[k][i] = d[i];
                else if (s < 3) /* powers of two: identical */
                    cr_assert_eq(d[i], ref[k][i], "scale %g step %d coordinate %d", scales[s],
                                 k, i);
            }
        }
        cr_assert_eq(nonzero, K * N, "the pattern never gives c = 0");
        cr_assert(plus > 100 && plus < K * N - 100, "both signs occur: %d", plus);
        lsc_optim_free(o);
    }
    lsc_optim *o = make("lion", 3);
    double g[3] = {0, 0, 0}, d[3];
    for (int k = 0; k < 5; k++) {
        step_from_zero(o, 3, g, d);
        cr_assert(d[0] == 0 && d[1] == 0 && d[2] == 0, "sign(0) = 0: no step");
    }
    lsc_optim_free(o);
}

/* The direction c = β1 m + (1 − β1) g. After k steps of g = +1 (m_k = 1 − β2^k), steps of
 * g = −1 give m_{k+j} = β2^j m_k − (1 − β2^j) and c_{k+j+1} = β1 m_{k+j} − (1 − β1): θ keeps
 * moving the old way while β1 m > 1 − β1. Closed form of every sign, k = 3 (flips at once:
 * β1(1 − β2^3) < 0.1) and k = 40 (keeps going for a few steps). */
Test(lion, momentum_delays_the_sign_flip_as_closed_form)
{
    const double b1 = 0.9, b2 = 0.99, eta = 0.5;
    const int ks[2] = {3, 40};
    for (int c = 0; c < 2; c++) {
        lsc_optim *o = make("lion:lr=0.5,beta1=0.9,beta2=0.99", 1);
        int k = ks[c], kept = 0;
        for (int t = 1; t <= k + 60; t++) {
            double g = t <= k ? 1.0 : -1.0, d;
            step_from_zero(o, 1, &g, &d);
            double mprev; /* m_{t−1} in closed form */
            if (t - 1 <= k)
                mprev = 1 - pow(b2, t - 1);
            else
                mprev = pow(b2, t - 1 - k) * (1 - pow(b2, k)) - (1 - pow(b2, t - 1 - k));
            double cdir = b1 * mprev + (1 - b1) * g;
            cr_assert(fabs(cdir) > 1e-9, "no near-tie in this sequence");
            cr_assert_eq(d, cdir > 0 ? -eta : eta, "k=%d t=%d: step %g, c %g", k, t, d, cdir);
            kept += t > k && cdir > 0;
        }
        if (k == 3)
            cr_assert_eq(kept, 0, "β1(1 − β2^3) < 1 − β1: the first −1 flips the step");
        else
            cr_assert(kept >= 2, "k = 40: momentum keeps the old direction %d steps", kept);
        lsc_optim_free(o);
    }
}

/* Weight decay: θ ← θ − η(sign(c) + λθ), from θ = 1.5 with g = −2 (sign(c) = −1):
 * θ_new = 1.5 − η(−1 + 1.5λ) to rounding; for g = 0, θ_k = (1 − ηλ)^k θ_0 exactly in form */
Test(lion, decoupled_weight_decay)
{
    lsc_optim *o = make("lion:lr=0.01,weight_decay=0.3", 2);
    double x[2] = {1.5, -4}, g[2] = {-2, 0};
    cr_assert_eq(lsc_optim_step(o, x, g, NULL), LSC_OK);
    cr_assert(rel_err(x[0], 1.5 - 0.01 * (-1 + 0.3 * 1.5)) <= 2 * DBL_EPSILON, "%.17g", x[0]);
    cr_assert(rel_err(x[1], -4 - 0.01 * (0.3 * -4)) <= 2 * DBL_EPSILON, "%.17g", x[1]);
    lsc_optim_free(o);
}

/* ---- yogi ------------------------------------------------------------------------------ */

/* Constant gradient g = 2, β2 = 0.75, v_0 = 0: (1 − β2)g² = 1, so v grows by exactly 1 a step
 * (v_t = t) until it reaches g² = 4, then sign(v − g²) = 0 and v stays 4 — additive, where
 * Adam's v_t = (1 − β2^t)g² only approaches g². m_t = (1 − β1^t)g. Step t:
 * η m_t/(√v_t + ε). */
Test(yogi, constant_gradient_v_grows_additively_and_stops_at_g2)
{
    const double eta = 0.01, b1 = 0.9, eps = 1e-3;
    lsc_optim *o = make("yogi:lr=0.01,beta1=0.9,beta2=0.75,eps=0.001,"
                        "initial_accumulator_value=0", 1);
    for (int t = 1; t <= 100; t++) {
        double g = 2, d;
        step_from_zero(o, 1, &g, &d);
        double v = t < 4 ? t : 4;
        double want = -eta * (1 - pow(b1, t)) * 2 / (sqrt(v) + eps);
        cr_assert(rel_err(d, want) <= 1e-13, "t=%d: %.17g vs %.17g", t, d, want);
    }
    lsc_optim_free(o);
}

/* One large gradient G = 2^10 then g = 2 for ever (β2 = 0.75, v_0 = 0): v_1 = G²/4 = 2^18,
 * then v falls by exactly (1 − β2)g² = 1 a step, v_t = 2^18 − (t − 1), until it meets
 * g² = 4 (t = 2^18 − 3) and stays there: never below g², never negative. (Adam's v would
 * fall by a factor β2 a step, to g² within ~40 steps.) m_t = β1^(t−1)(1 − β1)G +
 * (1 − β1^(t−1))g. Checked at every step, 2^18 + 100 steps. */
Test(yogi, v_falls_by_at_most_1_minus_beta2_g2_and_stays_positive)
{
    const double eta = 0.01, b1 = 0.5, eps = 1e-3, G = 1024, g = 2;
    lsc_optim *o = make("yogi:lr=0.01,beta1=0.5,beta2=0.75,eps=0.001,"
                        "initial_accumulator_value=0", 1);
    const long T = (1L << 18) + 100;
    double b1t = 1; /* β1^(t−1) */
    for (long t = 1; t <= T; t++) {
        double gt = t == 1 ? G : g, d;
        step_from_zero(o, 1, &gt, &d);
        double v = t == 1 ? 262144.0 : fmax(262144.0 - (double)(t - 1), 4.0);
        double m = b1t * (1 - b1) * G + (1 - b1t) * g;
        double want = -eta * m / (sqrt(v) + eps);
        if (rel_err(d, want) > 1e-12)
            cr_assert_fail("t=%ld: %.17g vs %.17g (v %g)", t, d, want, v);
        b1t *= b1;
    }
    lsc_optim_free(o);
}

/* ---- adabelief --------------------------------------------------------------------------- */

/* Constant gradient g: m_t = (1 − β1^t)g (m̂ = g) and g − m_t = β1^t g, so
 *   s_t = ε(1 − β2^t)/(1 − β2) + (1 − β2)g² Σ_{k≤t} β2^(t−k) β1^(2k)
 *       = ε(1 − β2^t)/(1 − β2) + (1 − β2)g² β1²(β2^t − β1^(2t))/(β2 − β1²)
 * and step t is α g/(√(s_t/(1 − β2^t)) + ε). The belief term dies out: s_t → ε/(1 − β2), and
 * the step tends to α g/(√(ε/(1 − β2)) + ε) — for g = 1e-3, ε = 1e-8, β2 = 0.9 that is
 * 3.16 α, where Adam's step tends to α. Every step to 1e-12, the limit at t = 3000. */
Test(adabelief, constant_gradient_closed_form_and_limit)
{
    const double a = 1e-3, b1 = 0.9, b2 = 0.9, eps = 1e-8;
    const double gs[3] = {1e-3, -5.0, 2e-7};
    lsc_optim *o = make("adabelief:lr=0.001,beta1=0.9,beta2=0.9,eps=1e-08", 3);
    double d[3], g[3];
    for (int t = 1; t <= 3000; t++) {
        memcpy(g, gs, sizeof g);
        step_from_zero(o, 3, g, d);
        double b2t = pow(b2, t), b12t = pow(b1, 2.0 * t);
        for (int i = 0; i < 3; i++) {
            double s = eps * (1 - b2t) / (1 - b2) +
                       (1 - b2) * gs[i] * gs[i] * b1 * b1 * (b2t - b12t) / (b2 - b1 * b1);
            double want = -a * gs[i] / (sqrt(s / (1 - b2t)) + eps);
            cr_assert(rel_err(d[i], want) <= 1e-12, "t=%d g=%g: %.17g vs %.17g", t, gs[i], d[i],
                      want);
        }
    }
    for (int i = 0; i < 3; i++) {
        double lim = -a * gs[i] / (sqrt(eps / (1 - b2)) + eps);
        cr_assert(rel_err(d[i], lim) <= 1e-12, "limit g=%g: %.17g vs %.17g", gs[i], d[i], lim);
    }
    cr_assert(fabs(d[0]) > 3 * a, "the step outgrows Adam's α: %g", d[0]);
    lsc_optim_free(o);
}

/* Decoupled decay alone (g = 0): m = 0 and s = ε(1 − β2^t)/(1 − β2) > 0, so the Adam part is
 * 0 and θ_k = (1 − αλ)^k θ_0 */
Test(adabelief, decoupled_weight_decay_alone)
{
    lsc_optim *o = make("adabelief:lr=0.01,weight_decay=0.5", 2);
    double x[2] = {2, -0.5}, g[2] = {0, 0};
    for (int k = 1; k <= 100; k++) {
        lsc_optim_step(o, x, g, NULL);
        cr_assert(rel_err(x[0], 2 * pow(1 - 0.005, k)) <= 1e-13);
        cr_assert(rel_err(x[1], -0.5 * pow(1 - 0.005, k)) <= 1e-13);
    }
    lsc_optim_free(o);
}

/* ---- lamb ------------------------------------------------------------------------------ */

/* With θ ≠ 0 and u = r + λθ ≠ 0 every step has norm exactly η‖θ‖ (to rounding), whatever
 * the gradient's scale; step 1 has r = g/(|g| + ε) element-wise (m̂ = g, v̂ = g²), so the
 * first step is −η‖θ‖ u/‖u‖ in closed form. */
Test(lamb, step_norm_is_eta_times_theta_norm)
{
    enum { N = 7 };
    const double eta = 0.02, lam = 0.1, eps = 1e-6;
    lsc_optim *o = make("lamb:lr=0.02,weight_decay=0.1,eps=1e-06", N);
    double x[N], g[N];
    for (int i = 0; i < N; i++)
        x[i] = sin(1.0 + i) * (i + 1);
    for (int k = 0; k < 300; k++) {
        double prev[N], xx = 0, dd = 0;
        for (int i = 0; i < N; i++) {
            g[i] = cos(0.3 * k + i) * pow(10.0, (double)((k + i) % 9) - 4.0);
            prev[i] = x[i];
            xx += x[i] * x[i];
        }
        cr_assert_eq(lsc_optim_step(o, x, g, NULL), LSC_OK);
        for (int i = 0; i < N; i++)
            dd += (x[i] - prev[i]) * (x[i] - prev[i]);
        cr_assert(rel_err(sqrt(dd), eta * sqrt(xx)) <= 1e-12, "k=%d: |step| %.17g vs %.17g", k,
                  sqrt(dd), eta * sqrt(xx));
        if (k == 0) {
            double u[N], uu = 0;
            for (int i = 0; i < N; i++) {
                u[i] = g[i] / (fabs(g[i]) + eps) + lam * prev[i];
                uu += u[i] * u[i];
            }
            for (int i = 0; i < N; i++) {
                double want = prev[i] - eta * sqrt(xx) * u[i] / sqrt(uu);
                cr_assert(rel_err(x[i], want) <= 1e-13, "step 1 coordinate %d", i);
            }
        }
    }
    lsc_optim_free(o);
}

/* At θ = 0 the trust ratio is 1: the first step is −η r = −η g/(|g| + ε) */
Test(lamb, ratio_one_at_theta_zero_and_not_elementwise)
{
    lsc_optim *o = make("lamb:lr=0.5,eps=0.25", 3);
    double g[3] = {2, -0.25, 0}, d[3];
    step_from_zero(o, 3, g, d);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(d[i], -0.5 * g[i] / (fabs(g[i]) + 0.25), "coordinate %d: %.17g", i, d[i]);
    cr_assert_eq(o->type->flags & LSC_OPTIM_ELEMENTWISE, 0u, "the norms couple coordinates");
    lsc_optim_free(o);
}

/* ---- asgd: the averaged iterate against torch.optim.ASGD -------------------------------- */

/* optim_asgd_ax.tsv: per run, every step k: torch's θ_k, g_k = ∇f(θ_k) and ax after k steps.
 * Replaying g_k, θ and lsc_asgd_average must agree to 1e-12 (normwise relative). With t0 =
 * 20 ax copies θ for 21 steps and then averages; with t0 = 0 it averages from step 2. */
Test(asgd, averaged_iterate_matches_torch)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/optim_asgd_ax.tsv", LSC_TEST_DATA);
    FILE *fp = fopen(path, "r");
    cr_assert(fp, "%s", path);
    static char line[8192];
    lsc_optim *o = NULL;
    int n = 0, runs = 0, rows = 0, prev_k = -1;
    double x[4], gprev[4], worst = 0, worst_ax = 0, ax_moved = 0;
    while (fgets(line, sizeof line, fp)) {
        char spec[256], land[32];
        int id, steps;
        if (!strncmp(line, "#run\t", 5)) {
            cr_assert_eq(sscanf(line + 5, "%d\t%255s\t%31s\t%d\t%d", &id, spec, land, &n, &steps),
                         5);
            cr_assert(n > 0 && n <= 4);
            lsc_optim_free(o);
            o = make(spec, n);
            cr_assert_not_null(lsc_asgd_average(o));
            runs++;
            prev_k = -1;
            continue;
        }
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *p = line, *end;
        strtol(p, &end, 10);
        int k = (int)strtol(end, &end, 10);
        double xt[4], gt[4], at[4];
        for (int j = 0; j < n; j++)
            xt[j] = strtod(end, &end);
        for (int j = 0; j < n; j++)
            gt[j] = strtod(end, &end);
        for (int j = 0; j < n; j++)
            at[j] = strtod(end, &end);
        cr_assert_eq(k, prev_k + 1);
        if (k == 0) {
            memcpy(x, xt, sizeof xt);
        } else {
            cr_assert_eq(lsc_optim_step(o, x, gprev, NULL), LSC_OK);
            const double *ax = lsc_asgd_average(o);
            double sx = 0, sa = 0, ex = 0, ea = 0;
            for (int j = 0; j < n; j++) {
                sx = fmax(sx, fabs(xt[j]));
                sa = fmax(sa, fabs(at[j]));
                ex = fmax(ex, fabs(x[j] - xt[j]));
                ea = fmax(ea, fabs(ax[j] - at[j]));
                ax_moved = fmax(ax_moved, fabs(at[j] - xt[j]));
            }
            worst = fmax(worst, ex / sx);
            worst_ax = fmax(worst_ax, ea / sa);
            rows++;
        }
        memcpy(gprev, gt, sizeof gt);
        prev_k = k;
    }
    fclose(fp);
    lsc_optim_free(o);
    cr_assert_eq(runs, 4);
    cr_assert_eq(rows, 4 * 150);
    cr_assert(ax_moved > 1e-3, "the averages differ from θ: %g", ax_moved);
    cr_assert(worst <= 1e-12, "θ: %g", worst);
    cr_assert(worst_ax <= 1e-12, "ax: %g", worst_ax);
    lsc_optim *a = make("adam", 2);
    cr_assert_null(lsc_asgd_average(a), "not asgd");
    lsc_optim_free(a);
    cr_assert_null(lsc_asgd_average(NULL));
}

/* ---- asgd and rprop under a changing learning rate (what a schedule does) ------------------ */

/* torch.optim.ASGD computes η of step t + 1 at the end of step t from the lr of step t, and
 * Rprop reads lr only when it creates Δ at step 1 (both seen with torch 1.13, group lr set
 * to 1, 2, 4, 4 before steps 1-4, g = 1: ASGD (λ = 0) steps −1, −1, −2, −4; Rprop −1, −1.2,
 * −1.44, −1.728). */
Test(asgd, eta_lags_the_learning_rate_by_one_step_rprop_reads_it_once)
{
    const double lrs[4] = {1, 2, 4, 4};
    const double want[2][4] = {{-1, -1, -2, -4}, {-1, -1.2, -1.2 * 1.2, -1.2 * 1.2 * 1.2}};
    const char *specs[2] = {"asgd:lr=1,lambd=0", "rprop:lr=1"};
    for (int s = 0; s < 2; s++) {
        lsc_optim *o = make(specs[s], 1);
        for (int k = 0; k < 4; k++) {
            double g = 1, d;
            cr_assert_eq(lsc_optim_set_lr(o, lrs[k]), LSC_OK);
            step_from_zero(o, 1, &g, &d);
            cr_assert(rel_err(d, want[s][k]) <= 2 * DBL_EPSILON, "%s step %d: %.17g", specs[s],
                      k + 1, d);
        }
        lsc_optim_free(o);
    }
}
