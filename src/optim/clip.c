/* clip.c — gradient clipping as torch.nn.utils.clip_grad_norm_ / clip_grad_value_ */
#include <math.h>
#include "optim.h"

/* clip_grad_norm_(max_norm=c): total = ||g||_2; if total > c: g <- g * c / (total + 1e-6).
 * (PyTorch computes clip_coef = c / (total + 1e-6) and multiplies when clip_coef < 1,
 * the same condition up to the 1e-6.) */
double lsc_clip_norm(double *g, int n, double c)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += g[i] * g[i];
    double total = sqrt(s);
    double coef = c / (total + 1e-6);
    if (coef < 1.0)
        for (int i = 0; i < n; i++)
            g[i] *= coef;
    return total;
}

/* clip_grad_value_(clip_value=c): g_i <- clamp(g_i, -c, c) */
void lsc_clip_value(double *g, int n, double c)
{
    for (int i = 0; i < n; i++)
        g[i] = g[i] > c ? c : (g[i] < -c ? -c : g[i]);
}
