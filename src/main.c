/* main.c: the entry point. Reads the global options (-C DIR, --help,
 * --version), finds the command in the table (commands.c) and runs it
 * (cmd_run parses its options). Nothing else lives here. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cmd.h"
#include "util.h"

#ifndef GOLDSET_VERSION
#define GOLDSET_VERSION "0.0.0"
#endif

int main(int argc, char **argv)
{
	struct gs_ctx ctx = {0};
	int i = 1;
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");   /* numbers print the same everywhere (tables, CSV, JSON) */
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-C") == 0 && i + 1 < argc) {
			ctx.dir = argv[++i];
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cmd_print_list(stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("goldset %s\n", GOLDSET_VERSION);
			return 0;
		} else {
			gs_printf(stderr, "goldset: unknown option %s\n", argv[i]);
			cmd_print_list(stderr);
			return EX_USAGE;
		}
	}
	if (i >= argc) {
		cmd_print_list(stderr);
		return EX_USAGE;
	}
	const struct cmd_entry *c = cmd_find(argv[i]);
	if (!c) {
		gs_printf(stderr, "goldset: unknown command '%s' (see goldset --help)\n", argv[i]);
		return EX_USAGE;
	}
	ctx.out_tty = isatty(1);
	ctx.err_tty = isatty(2);
	const char *nc = getenv("NO_COLOR");
	ctx.color = ctx.out_tty && !(nc && *nc);
	int rc = cmd_run(c, &ctx, argc - i, argv + i);
	fflush(stdout);
	if (ferror(stdout)) {
		fprintf(stderr, "goldset: error writing output\n");
		return rc ? rc : EX_IOERR;
	}
	return rc;
}
