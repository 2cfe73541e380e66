/* losscape.h — the whole public interface of liblosscape.
 *
 * Modules: param (errors, specs), landscape, optim, schedule, trajectory, run, plot. */
#ifndef LOSSCAPE_H
#define LOSSCAPE_H

#include "param.h"
#include "landscape.h"
#include "optim.h"
#include "schedule.h"
#include "trajectory.h"
#include "run.h"
#include "plot.h"
#include "recipe.h"

#endif
