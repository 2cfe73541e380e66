/* plot.c — placeholder until the plot module lands */
#include "plot.h"
