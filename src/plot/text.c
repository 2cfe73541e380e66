/* text.c — two measures of text that the script, the headings and the LaTeX layout share
 *
 * It calls nothing of the plot module, so the files that use it do not call each other
 * through it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"

int plot_utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    int n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0
                                                                       ? 2 : 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return n;
}

int plot_font_size(const plot_ctx *c)
{
    const char *comma = strrchr(c->font, ',');
    double s = comma ? atof(comma + 1) : 0;
    return s > 2 && s < 200 ? (int)lround(s) : 12;
}
