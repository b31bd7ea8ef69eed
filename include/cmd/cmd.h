/* cmd.h: what every command is. Each src/cmd/cmd-*.c defines one
 * `const struct cmd_entry cmd_NAME` that declares its options, its
 * positional arguments and whether it needs the workspace; src/cmd/commands.c
 * lists them all in one table; src/cmd/parse.c (cmd_run) parses argv from
 * the entry, prints --help from the same table, opens the workspace and
 * calls the entry's run with the parsed arguments. */
#ifndef GOLDSET_CMD_H
#define GOLDSET_CMD_H
#include <stddef.h>
#include <stdio.h>

struct ws;

struct gs_ctx {
	const char *dir;      /* -C DIR, or NULL: walk up from the current folder */
	int out_tty;          /* stdout is a terminal */
	int err_tty;          /* stderr is a terminal */
	int color;            /* colours allowed (no NO_COLOR, a terminal) */
	struct ws *ws;        /* the workspace, opened by cmd_run (CMD_WS_READ, CMD_WS_WRITE), else NULL */
};

enum cmd_arg { CMD_ARG_NONE, CMD_ARG_REQUIRED, CMD_ARG_OPTIONAL /* only as --name=VALUE */ };

/* one option of a command; a table of them ends with an entry of no name
 * and no letter. A program finds its values by the long name, or by the
 * letter as a one-character string ("n") when it has no long name. */
struct cmd_option {
	const char *name;     /* "rubric" for --rubric, or NULL */
	char letter;          /* 'n' for -n, or 0 */
	enum cmd_arg arg;
	const char *value;    /* the value's name in the help: "NAME" */
	const char *help;     /* one line */
};

/* what cmd_run does before run */
#define CMD_WS_READ  1    /* opens the workspace for reading (workspace_open_read) */
#define CMD_WS_WRITE 2    /* opens it for a command that saves (workspace_open) */
#define CMD_FIT      4    /* its text report is fitted to the width (report/fit.h); not with --json */

struct cmd_args;

struct cmd_entry {
	const char *name;
	const char *usage;    /* "goldset import FILE... [--set NAME] [--map SPEC]" */
	const char *summary;  /* one line */
	const struct cmd_option *options;   /* or NULL: none */
	const char *example;  /* one command line, for --help */
	int flags;            /* CMD_WS_READ, CMD_WS_WRITE */
	const char *no_ws_with;   /* the option that means no workspace is read (agree --table), or NULL */
	int min_args, max_args;   /* positional arguments; max_args -1: any number */
	const char *args_missing; /* said when fewer than min_args are given */
	const struct cmd_entry *const *subs;   /* subcommands (NULL-terminated): argv[1] names one */
	int (*run)(struct gs_ctx *ctx, const struct cmd_args *a);
};

/* the parsed command line: the options given, in order, and the
 * positional arguments (argv[0] is the first of them, not the command) */
struct cmd_given { const struct cmd_option *opt; const char *value; };
struct cmd_args {
	const struct cmd_entry *entry;     /* the command, or the subcommand */
	struct cmd_given *given;
	size_t ngiven;
	int argc;
	char **argv;                       /* NULL-terminated */
};

/* every command's entry (defined in src/cmd/cmd-NAME.c) */
extern const struct cmd_entry cmd_init, cmd_import, cmd_label, cmd_pair, cmd_import_labels, cmd_agree,
	cmd_disagreements, cmd_rank, cmd_calibrate, cmd_review, cmd_stats, cmd_export, cmd_commit, cmd_log,
	cmd_diff, cmd_push, cmd_pull, cmd_rubric, cmd_demo, cmd_merge_driver, cmd_help, cmd_judge, cmd_compare;

extern const struct cmd_entry *const commands[];   /* NULL-terminated */
const struct cmd_entry *cmd_find(const char *name);
/* `goldset --help`: the usage and one line per command */
void cmd_print_list(FILE *f);

/* "goldset NAME: MSG" + usage on stderr; returns EX_USAGE (64) */
int cmd_usage(const struct cmd_entry *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* runs command c on argv (argv[0] is its name): --help or -h prints the
 * help and exits 0; otherwise parses argv (a mistake: one line and the
 * usage, EX_USAGE), opens the workspace as c declares, calls c->run */
int cmd_run(const struct cmd_entry *c, struct gs_ctx *ctx, int argc, char **argv);
/* parses argv (argv[0] is the command's or subcommand's name) against c's
 * options and argument counts; errors are said with top's name and usage.
 * 0, or EX_USAGE after one line on stderr. Free with cmd_args_free. */
int cmd_parse(const struct cmd_entry *top, const struct cmd_entry *c, int argc, char **argv, struct cmd_args *a);
void cmd_args_free(struct cmd_args *a);
/* the help of c (git's -h): usage, summary, one line per option, example */
void cmd_print_help(FILE *f, const struct cmd_entry *c);

/* the value of the last --name given, or NULL (absent, or an option
 * without a value); name must be one of the command's options */
const char *args_get(const struct cmd_args *a, const char *name);
/* whether --name was given */
int args_has(const struct cmd_args *a, const char *name);
/* the i-th value (from 0, in command-line order) of a repeated --name, or NULL */
const char *args_nth(const struct cmd_args *a, const char *name, size_t i);
/* the whole command line (main.c): global options, then the command */
int cmd_main(int argc, char **argv);
#endif
