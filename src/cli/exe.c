/* exe.c — the losscape executable: everything else is cli_main (main.c), which the
 * documentation generator (doc/gendoc.c) links too */
#include "cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
