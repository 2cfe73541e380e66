/* pgd.c — perturbed gradient descent
 *
 * Jin, Ge, Netrapalli, Kakade & Jordan, "How to escape saddle points efficiently",
 * ICML 2017, Algorithm 2 (PGD): the update is pgd_formula below (`losscape info pgd`);
 * t_noise starts at −t_thres − 1 so that the very first step may perturb.
 *
 * ξ = r·U^{1/n} · z/‖z‖ with z ~ N(0, I_n) (gsl_ran_gaussian, n draws) and U ~ U[0,1)
 * (gsl_rng_uniform, one draw after the n Gaussians), all from ctx->rng: a direction uniform
 * on the sphere and a radius with density ∝ ρ^{n−1}, i.e. uniform in the ball.
 *
 * Differences from the paper, both because the loop belongs to the caller: (1) a
 * perturbation is a step of its own — the paper adds ξ and takes the gradient step from
 * θ + ξ in the same iteration, here the next step does that with the gradient the driver
 * computes at θ + ξ (with its noise and clipping); (2) the paper's stopping test
 * (return x̃ when f decreased by less than f_thres within t_thres steps of a perturbation)
 * is left to the driver's stopping rules.
 */
#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "optim_impl.h"

/* Parameter indices: the rows of pgd_params (descriptors, below). */
enum { P_LR, P_R, P_G_THRES, P_T_THRES };

static const char pgd_formula[] =
    "t = steps taken so far (from 0) ;  t_noise = the step of the last kick "
    "(at first −t_thres − 1)\n"
    "if ‖g‖ ≤ g_thres and t − t_noise > t_thres:\n"
    "    t_noise ← t ;  θ ← θ + ξ,  ξ uniform in the ball of radius r\n"
    "else:\n"
    "    θ ← θ − γg";

typedef struct {
    double r, g_thres;
    long long t_thres;
    long long t;       /* steps taken */
    long long t_noise; /* step of the last perturbation */
    size_t off_z;      /* n doubles for the Gaussian direction */
} pgd_state;

static int pgd_step(void *state, int n, double *x, const double *g, double lr,
                    const lsc_step_ctx *ctx)
{
    pgd_state *s = state;
    if (!ctx || !ctx->rng)
        return LSC_EINVAL; /* a RANDOM optimizer needs ctx->rng */
    double g2 = 0;
    for (int i = 0; i < n; i++)
        g2 += g[i] * g[i];
    if (n > 0 && sqrt(g2) <= s->g_thres && s->t - s->t_noise > s->t_thres) {
        double *z = LSC_STATE_ARRAY(s, s->off_z);
        double z2;
        do { /* z ~ N(0, I); redrawn in the (measure zero) case z = 0 */
            z2 = 0;
            for (int i = 0; i < n; i++) {
                z[i] = gsl_ran_gaussian(ctx->rng, 1.0);
                z2 += z[i] * z[i];
            }
        } while (z2 == 0);
        double u = gsl_rng_uniform(ctx->rng);
        double scale = s->r * pow(u, 1.0 / (double)n) / sqrt(z2); /* r·U^{1/n}/‖z‖ */
        for (int i = 0; i < n; i++)
            x[i] += scale * z[i]; /* θ ← θ + ξ */
        s->t_noise = s->t;
    } else {
        for (int i = 0; i < n; i++)
            x[i] -= lr * g[i]; /* θ ← θ − γg */
    }
    s->t++;
    return LSC_OK;
}

static size_t pgd_layout(int n, size_t *off_z)
{
    lsc_layout L;
    lsc_layout_init(&L, sizeof(pgd_state));
    *off_z = lsc_layout_add(&L, n, sizeof(double));
    return lsc_layout_size(&L);
}

static size_t pgd_state_size(const lsc_params *p, int n)
{
    (void)p;
    size_t off;
    return pgd_layout(n, &off);
}

static int pgd_init(void *state, const lsc_params *p, int n, lsc_error *err)
{
    (void)err;
    pgd_state *s = state;
    memset(s, 0, sizeof *s);
    s->r = p->v[P_R];
    s->g_thres = p->v[P_G_THRES];
    s->t_thres = (long long)p->v[P_T_THRES];
    s->t = 0;
    s->t_noise = -s->t_thres - 1;
    pgd_layout(n, &s->off_z);
    return LSC_OK;
}

static const lsc_param_desc pgd_params[] = {
    [P_LR] = {"lr", LSC_PARAM_REAL, 1e-3, 0, 1e6, LSC_LO_OPEN,
              "learning rate γ (η in the paper)", NULL},
    [P_R] = {"r", LSC_PARAM_REAL, 0.1, 0, 1e6, LSC_LO_OPEN,
             "radius of the perturbation ball", NULL},
    [P_G_THRES] = {"g_thres", LSC_PARAM_REAL, 1e-3, 0, 1e12, 0,
                   "perturb only when the gradient norm is at most this", NULL},
    [P_T_THRES] = {"t_thres", LSC_PARAM_INT, 50, 0, 1e9, 0,
                   "at least this many gradient steps between two perturbations", NULL},
};

const lsc_optim_type lsc_optim_pgd = {
    .name = "pgd",
    .summary = "perturbed gradient descent: a random kick in a ball where the gradient is small",
    .citation = "Jin, Ge, Netrapalli, Kakade & Jordan, How to escape saddle points efficiently, "
                "ICML 2017",
    .formula = pgd_formula,
    .pytorch = "no torch.optim class: torch.optim.SGD(params, lr={lr}) between kicks; a "
               "kick (when ‖g‖ <= {g_thres} and more than {t_thres} steps after the last) "
               "adds a point uniform in the ball of radius {r} to θ under torch.no_grad()",
    .params = pgd_params,
    .nparams = LSC_COUNTOF(pgd_params),
    .flags = LSC_OPTIM_RANDOM,
    .state_size = pgd_state_size,
    .init = pgd_init,
    .step = pgd_step,
};
