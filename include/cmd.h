/* cmd.h: what every command is. Each src/cmd/cmd-*.c defines one
 * `const struct cmd_entry cmd_NAME`; src/commands.c lists them all in one
 * table, and src/main.c only finds the entry and runs it. A command gets its
 * own argv (argv[0] is the command name) and returns the process exit code. */
#ifndef GOLDSET_CMD_H
#define GOLDSET_CMD_H
#include <stdio.h>

struct gs_ctx {
	const char *dir;      /* -C DIR, or NULL: walk up from the current folder */
	int out_tty;          /* stdout is a terminal */
	int err_tty;          /* stderr is a terminal */
	int color;            /* colours allowed (no NO_COLOR, a terminal) */
};

struct cmd_entry {
	const char *name;
	const char *usage;    /* "goldset import FILE... [--set NAME] [--map SPEC]" */
	const char *summary;  /* one line */
	int (*run)(struct gs_ctx *ctx, int argc, char **argv);
};

/* every command's entry (defined in src/cmd/cmd-NAME.c) */
extern const struct cmd_entry cmd_init, cmd_import, cmd_label, cmd_pair, cmd_import_labels, cmd_agree,
	cmd_disagreements, cmd_rank, cmd_calibrate, cmd_review, cmd_stats, cmd_export, cmd_commit, cmd_log,
	cmd_diff, cmd_push, cmd_pull, cmd_rubric, cmd_demo, cmd_merge_driver;

extern const struct cmd_entry *const commands[];   /* NULL-terminated */
const struct cmd_entry *cmd_find(const char *name);

/* "goldset NAME: MSG" + usage on stderr; returns EX_USAGE (64) */
int cmd_usage(const struct cmd_entry *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#endif
