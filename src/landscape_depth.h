/* landscape_depth.h — what the landscapes for depth (issue 10) tell beyond f: the signal a
 * gradient carries back through each layer of a chain, and through each time step of an rnn
 *
 *   chain   y = act(w_L act(... act(w_1 x))), f = 1/2 (y - target)^2   (landscapes/chain.c)
 *   rnn     a vanilla tanh RNN unrolled over T steps on a generated recall task
 *           (landscapes/rnn.c)
 *
 * Both are ordinary landscapes (lsc_landscape_new("chain:depth=50,act=linear", ...)); the
 * functions below read an instance of them at a point, allocate nothing, and return
 * LSC_EINVAL for a landscape of another type.
 */
#ifndef LSC_LANDSCAPE_DEPTH_H
#define LSC_LANDSCAPE_DEPTH_H

#include "landscape.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The chain at w (L->n = depth values): the units h_0 = x, h_1, ..., h_L = y into h and
 * the back-propagated derivatives dy/dh_l into dy_dh (depth + 1 values each, NULL: not
 * wanted); dy_dh[0] = dy/dx, dy_dh[depth] = 1. */
LSC_API int lsc_chain_backprop(const lsc_landscape *L, const double *w, double *h,
                               double *dy_dh);

/* The rnn at theta: |df/dh_t| (Euclidean norm over the hidden units, f the mean loss over
 * the sequences: the sum over them of each one's share) for t = 0 .. T into norms (T + 1
 * values); norms[T] is where the loss enters, norms[0] the initial state's. Uses the
 * landscape's own work space: one thread at a time, like f. */
LSC_API int lsc_rnn_hidden_grad_norms(const lsc_landscape *L, const double *theta,
                                      double *norms);

#ifdef __cplusplus
}
#endif
#endif
