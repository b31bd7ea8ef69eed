/* main.c: the entry point. Sets the locale and hands the command line to
 * cmd_main (parse.c: the global options -C DIR, --help, --version, then the
 * command from the table in commands.c with its own options). Nothing else
 * lives here. */
#include <locale.h>

#include "cmd/cmd.h"

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");   /* numbers print the same everywhere (tables, CSV, JSON) */
	return cmd_main(argc, argv);
}
