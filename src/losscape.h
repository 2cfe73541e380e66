/* losscape.h — the whole public interface of liblosscape.
 *
 * Modules: param (errors, specs), landscape, optim, schedule, trajectory, run,
 * experiment, plot, recipe, study. */
#ifndef LOSSCAPE_H
#define LOSSCAPE_H

#include "param.h"
#include "parallel.h"
#include "dataset.h"
#include "landscape.h"
#include "landscape_depth.h"
#include "model.h"
#include "init.h"
#include "optim.h"
#include "schedule.h"
#include "trajectory.h"
#include "run.h"
#include "curvature.h"
#include "sampler.h"
#include "experiment.h"
#include "summary.h"
#include "plot.h"
#include "recipe.h"
#include "study.h"

/* Start-up. losscape computes with GSL (eigenvalues, random numbers), and GSL's default
 * error handler calls abort(). losscape checks the status of every GSL call it makes and
 * reports a failure as an lsc_error code instead, so a program that embeds losscape calls
 *
 *     lsc_init();                                   (declared in param.h)
 *
 * once at start-up, from the main thread, before other losscape calls: it turns GSL's
 * default handler off (gsl_set_error_handler_off), and keeps a handler the program set
 * itself. Without it, a GSL error inside losscape (an allocation that fails, say) aborts
 * the program. GSL's handler is one per process and GSL allows setting it only from a
 * master thread, which is why losscape does not switch it around its own calls. Note that
 * the program's own GSL calls then report errors by their return status too. The losscape
 * command line calls it first thing. */

#endif
