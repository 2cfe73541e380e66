/* plot.h — placeholder until the plot module lands */
#ifndef LSC_PLOT_H
#define LSC_PLOT_H
#endif
