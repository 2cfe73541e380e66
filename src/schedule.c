/* schedule.c — placeholder until the schedules land */
#include "schedule.h"
