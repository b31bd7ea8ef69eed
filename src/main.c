/* main.c: the entry point. Reads the global options (-C DIR, --help,
 * --version), finds the command in the table (commands.c) and runs it.
 * Nothing else lives here. */
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

static void print_help(FILE *f)
{
	fprintf(f, "usage: goldset [-C DIR] COMMAND [ARGS]\n\n"
		   "Golden sets for LLM evaluation: label, measure agreement, version.\n\n");
	for (size_t i = 0; commands[i]; i++)
		fprintf(f, "  %-15s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(f, "\n`goldset COMMAND --help` for a command's options; man goldset for all.\n");
}

static int wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) return 0;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
	}
	return 0;
}

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
			print_help(stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("goldset %s\n", GOLDSET_VERSION);
			return 0;
		} else {
			gs_printf(stderr, "goldset: unknown option %s\n", argv[i]);
			print_help(stderr);
			return EX_USAGE;
		}
	}
	if (i >= argc) {
		print_help(stderr);
		return EX_USAGE;
	}
	const struct cmd_entry *c = cmd_find(argv[i]);
	if (!c) {
		gs_printf(stderr, "goldset: unknown command '%s' (see goldset --help)\n", argv[i]);
		return EX_USAGE;
	}
	if (wants_help(argc - i, argv + i)) {
		printf("usage: %s\n\n%s\n", c->usage, c->summary);
		return 0;
	}
	ctx.out_tty = isatty(1);
	ctx.err_tty = isatty(2);
	const char *nc = getenv("NO_COLOR");
	ctx.color = ctx.out_tty && !(nc && *nc);
	int rc = c->run(&ctx, argc - i, argv + i);
	fflush(stdout);
	if (ferror(stdout)) {
		fprintf(stderr, "goldset: error writing output\n");
		return rc ? rc : EX_IOERR;
	}
	return rc;
}
