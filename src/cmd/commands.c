/* commands.c: the command table, in one place (as git's). Each entry is
 * defined in src/cmd/cmd-NAME.c; main.c looks names up here and runs them
 * through cmd_run (src/cmd/parse.c). The order is the order `goldset
 * --help` lists them in. */
#include "cmd/cmd.h"
#include "base/util.h"

#include <stdarg.h>
#include <string.h>
#include <sysexits.h>

const struct cmd_entry *const commands[] = {
	&cmd_init,
	&cmd_import,
	&cmd_import_labels,
	&cmd_judge,
	&cmd_label,
	&cmd_pair,
	&cmd_rubric,
	&cmd_export,
	&cmd_stats,
	&cmd_commit,
	&cmd_log,
	&cmd_diff,
	&cmd_push,
	&cmd_pull,
	&cmd_agree,
	&cmd_disagreements,
	&cmd_rank,
	&cmd_compare,
	&cmd_calibrate,
	&cmd_review,
	&cmd_demo,
	&cmd_merge_driver,
	&cmd_help,
	NULL,
};

const struct cmd_entry *cmd_find(const char *name)
{
	for (size_t i = 0; commands[i]; i++)
		if (strcmp(commands[i]->name, name) == 0) return commands[i];
	return NULL;
}

void cmd_print_list(FILE *f)
{
	fprintf(f, "usage: goldset [-C DIR] COMMAND [ARGS]\n\n"
		   "Golden sets for LLM evaluation: label, measure agreement, version.\n\n");
	for (size_t i = 0; commands[i]; i++)
		fprintf(f, "  %-15s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(f, "\n`goldset COMMAND --help` for a command's options; goldset help COMMAND or man goldset for all.\n");
}

int cmd_usage(const struct cmd_entry *c, const char *fmt, ...)
{
	char msg[1024];   /* quotes arguments: escaped, as gs_fail() does */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	gs_printf(stderr, "goldset %s: %s\n", c->name, msg);
	fprintf(stderr, "usage: %s\n", c->usage);
	return EX_USAGE;
}
