/* cmd-help.c: `goldset help [COMMAND]`: the manual of a command. In a
 * terminal it opens the man page (goldset-COMMAND(1) where one is
 * installed, else goldset(1)); without a terminal, or when man or the page
 * is missing, it prints the command's --help (no COMMAND: the list of
 * commands). */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "base/util.h"

extern char **environ;

/* runs `man ARGS...`, quiet with -w; man's exit status, or -1 when it cannot run */
static int man(char *const *args, int quiet)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status;
	posix_spawn_file_actions_init(&fa);
	if (quiet) {
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	}
	int rc = posix_spawnp(&pid, "man", &fa, NULL, args, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc) return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int man_page_exists(char *page)
{
	char *args[] = {"man", "-w", "1", page, NULL};
	return man(args, 1) == 0;
}

/* 0 when man showed goldset-NAME(1) or goldset(1) */
static int open_man_page(const char *name)
{
	char *page = xasprintf("goldset-%s", name), top[] = "goldset";
	char *which = man_page_exists(page) ? page : man_page_exists(top) ? top : NULL;
	char *args[] = {"man", "1", which, NULL};
	fflush(stdout);
	int rc = which ? man(args, 0) : -1;
	free(page);
	return rc;
}

static int run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	if (a->argc == 0) {
		cmd_print_list(stdout);
		return 0;
	}
	const struct cmd_entry *c = cmd_find(a->argv[0]);
	if (!c) return cmd_usage(&cmd_help, "no command named %s (see goldset --help)", a->argv[0]);
	if (ctx->out_tty && isatty(STDIN_FILENO) && open_man_page(c->name) == 0) return 0;
	cmd_print_help(stdout, c);
	return 0;
}

const struct cmd_entry cmd_help = {
	.name = "help",
	.usage = "goldset help [COMMAND]",
	.summary = "a command's manual: its man page in a terminal, else its --help",
	.example = "goldset help label",
	.max_args = 1,
	.run = run,
};
