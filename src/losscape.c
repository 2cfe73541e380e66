/* losscape.c — library start-up (lsc_init) and version */
#include "losscape.h"

#include <gsl/gsl_errno.h>

#include "lsc_version.h"

int lsc_init(void)
{
    /* gsl_set_error_handler returns the handler it replaces: NULL is GSL's default, which
     * aborts. Replace only that one; put back a handler the program installed itself. */
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    if (old)
        gsl_set_error_handler(old);
    return LSC_OK;
}

const char *lsc_version(void)
{
    return LSC_VERSION;
}
