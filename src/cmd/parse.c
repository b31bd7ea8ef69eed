/* parse.c: the one option parser of every command (as tmux's
 * cmd_entry.args and git's parse_options + RUN_SETUP). A command's entry
 * (cmd.h) declares its options, its positional arguments, its subcommands
 * and whether it reads or writes the workspace; cmd_run picks the
 * subcommand, prints --help from the same table, parses argv with
 * getopt_long (options anywhere among the arguments, --name=VALUE, repeated
 * options kept in order, `--` ends the options), says a mistake in one line
 * with the usage (EX_USAGE), opens the workspace and calls run. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "base/util.h"
#include "app/workspace.h"
#include "report/fit.h"

#define LONG_ONLY 256   /* getopt_long code of option k without a letter: LONG_ONLY + k */

/* ---------- the option table ---------- */

static size_t options_len(const struct cmd_option *o)
{
	size_t n = 0;
	while (o && (o[n].name || o[n].letter)) n++;
	return n;
}

static int option_is(const struct cmd_option *o, const char *key)
{
	if (o->name) return strcmp(o->name, key) == 0;
	return key[0] == o->letter && key[1] == 0;
}

/* the option a program asks for by key; a key not in the table is a bug */
static const struct cmd_option *option_of(const struct cmd_entry *c, const char *key)
{
	for (size_t k = 0; k < options_len(c->options); k++)
		if (option_is(&c->options[k], key)) return &c->options[k];
	fprintf(stderr, "goldset %s: bug: no option %s in its table\n", c->name, key);
	abort();
}

/* getopt_long's tables for c's options: "-:" + letters, and the long names */
static struct option *getopt_tables(const struct cmd_entry *c, char **shorts)
{
	static const int has_arg[] = {no_argument, required_argument, optional_argument};
	size_t n = options_len(c->options), nl = 0;
	struct option *lo = xcalloc(n + 1, sizeof *lo);
	char *s = *shorts = xcalloc(3 * n + 3, 1);
	strcpy(s, "-:");
	for (size_t k = 0; k < n; k++) {
		const struct cmd_option *o = &c->options[k];
		int code = o->letter ? o->letter : LONG_ONLY + (int)k;
		if (o->letter) strcat(s, (const char[]){o->letter, 0});
		if (o->letter && o->arg != CMD_ARG_NONE) strcat(s, o->arg == CMD_ARG_OPTIONAL ? "::" : ":");
		if (o->name) lo[nl++] = (struct option){o->name, has_arg[o->arg], NULL, code};
	}
	return lo;
}

static const struct cmd_option *option_by_code(const struct cmd_entry *c, int code)
{
	if (code >= LONG_ONLY) return &c->options[code - LONG_ONLY];
	for (size_t k = 0; k < options_len(c->options); k++)
		if (c->options[k].letter == code) return &c->options[k];
	return NULL;
}

/* ---------- parsing ---------- */

/* one line for what getopt_long refused at argv[optind - 1]: a letter
 * is named alone (-x of -kx), a long option as it was written */
static int refused(const struct cmd_entry *top, int code, char **argv)
{
	const char *arg = argv[optind - 1], *what = code == ':' ? "%s needs a value" : "unknown option %s";
	char letter[3] = {'-', (char)optopt, 0};
	int is_letter = optopt > 0 && optopt < LONG_ONLY && strncmp(arg, "--", 2) != 0;
	return cmd_usage(top, what, is_letter ? letter : arg);
}

static int check_counts(const struct cmd_entry *top, const struct cmd_entry *c, const struct cmd_args *a)
{
	if (a->argc < c->min_args)
		return cmd_usage(top, "%s", c->args_missing ? c->args_missing : "an argument is missing");
	if (c->max_args >= 0 && a->argc > c->max_args)
		return cmd_usage(top, "unexpected argument %s", a->argv[c->max_args]);
	return 0;
}

static int parse_loop(const struct cmd_entry *top, const struct cmd_entry *c, int argc, char **argv,
		      struct cmd_args *a)
{
	char *shorts;
	struct option *lo = getopt_tables(c, &shorts);
	int code, rc = 0;
	optind = 0;
	opterr = 0;
	while (!rc && (code = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		if (code == 1) a->argv[a->argc++] = optarg;
		else if (code == '?' || code == ':') rc = refused(top, code, argv);
		else a->given[a->ngiven++] = (struct cmd_given){option_by_code(c, code), optarg};
	}
	while (!rc && optind < argc) a->argv[a->argc++] = argv[optind++];   /* after `--` */
	free(lo);
	free(shorts);
	return rc;
}

int cmd_parse(const struct cmd_entry *top, const struct cmd_entry *c, int argc, char **argv, struct cmd_args *a)
{
	*a = (struct cmd_args){.entry = c};
	a->given = xcalloc((size_t)argc + 1, sizeof *a->given);
	a->argv = xcalloc((size_t)argc + 1, sizeof *a->argv);
	int rc = parse_loop(top, c, argc, argv, a);
	if (!rc) rc = check_counts(top, c, a);
	if (rc) cmd_args_free(a);
	return rc;
}

void cmd_args_free(struct cmd_args *a)
{
	free(a->given);
	free(a->argv);
	memset(a, 0, sizeof *a);
}

/* ---------- reading the parsed options ---------- */

const char *args_nth(const struct cmd_args *a, const char *name, size_t i)
{
	const struct cmd_option *o = option_of(a->entry, name);
	for (size_t k = 0; k < a->ngiven; k++)
		if (a->given[k].opt == o && i-- == 0) return a->given[k].value;
	return NULL;
}

const char *args_get(const struct cmd_args *a, const char *name)
{
	const struct cmd_option *o = option_of(a->entry, name);
	for (size_t k = a->ngiven; k-- > 0;)
		if (a->given[k].opt == o) return a->given[k].value;
	return NULL;
}

int args_has(const struct cmd_args *a, const char *name)
{
	const struct cmd_option *o = option_of(a->entry, name);
	for (size_t k = 0; k < a->ngiven; k++)
		if (a->given[k].opt == o) return 1;
	return 0;
}

/* ---------- --help ---------- */

/* "-n, --max-count N", "--rubric NAME", "-n N", "--level[=L]" */
static char *option_synopsis(const struct cmd_option *o)
{
	struct sbuf s = {0};
	if (o->letter) sb_addf(&s, "-%c%s", o->letter, o->name ? ", " : "");
	if (o->name) sb_addf(&s, "--%s", o->name);
	if (o->arg == CMD_ARG_REQUIRED) sb_addf(&s, " %s", o->value ? o->value : "VALUE");
	if (o->arg == CMD_ARG_OPTIONAL) sb_addf(&s, "[=%s]", o->value ? o->value : "VALUE");
	return sb_take(&s);
}

static void print_options(FILE *f, const struct cmd_option *opts)
{
	for (size_t k = 0; k < options_len(opts); k++) {
		char *syn = option_synopsis(&opts[k]);
		if (strlen(syn) <= 22) fprintf(f, "    %-22s  %s\n", syn, opts[k].help);
		else fprintf(f, "    %s\n    %-22s  %s\n", syn, "", opts[k].help);
		free(syn);
	}
}

void cmd_print_help(FILE *f, const struct cmd_entry *c)
{
	fprintf(f, "usage: %s\n\n%s\n", c->usage, c->summary);
	if (options_len(c->options)) fprintf(f, "\n");
	print_options(f, c->options);
	for (size_t i = 0; c->subs && c->subs[i]; i++) {
		const struct cmd_entry *s = c->subs[i];
		fprintf(f, "\n%s %s: %s\n", c->name, s->name, s->summary);
		print_options(f, s->options);
	}
	if (c->example) fprintf(f, "\nexample: %s\n", c->example);
}

/* --help or -h before any `--` */
static int wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) return 0;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
	}
	return 0;
}

/* ---------- running ---------- */

/* "start, show, report or discuss" */
static char *sub_names(const struct cmd_entry *c)
{
	struct sbuf s = {0};
	for (size_t i = 0; c->subs[i]; i++)
		sb_addf(&s, "%s%s", i == 0 ? "" : c->subs[i + 1] ? ", " : " or ", c->subs[i]->name);
	return sb_take(&s);
}

static const struct cmd_entry *sub_named(const struct cmd_entry *c, const char *name)
{
	for (size_t i = 0; c->subs[i]; i++)
		if (strcmp(c->subs[i]->name, name) == 0) return c->subs[i];
	return NULL;
}

/* no subcommand named, or an unknown one */
static int refuse_sub(const struct cmd_entry *c, int argc, char **argv)
{
	if (argc >= 2) return cmd_usage(c, "unknown subcommand %s", argv[1]);
	char *names = sub_names(c);
	cmd_usage(c, "which: %s?", names);
	free(names);
	return EX_USAGE;
}

static int run_in_workspace(const struct cmd_entry *c, struct gs_ctx *ctx, const struct cmd_args *a)
{
	int mode = c->no_ws_with && args_has(a, c->no_ws_with) ? 0 : c->flags & (CMD_WS_READ | CMD_WS_WRITE);
	if (!mode) return c->run(ctx, a);
	struct gs_err e = {0};
	struct ws w;
	if (mode & CMD_WS_WRITE ? workspace_open(ctx->dir, &w, &e) : workspace_open_read(ctx->dir, &w, &e)) return gs_report(&e);
	struct ws *outer = ctx->ws;
	ctx->ws = &w;
	int rc = c->run(ctx, a);
	ctx->ws = outer;
	ws_close(&w);
	return rc;
}

/* whether the output of c as asked is a text report to fit to the width */
static int fitted(const struct cmd_entry *c, const struct cmd_args *a)
{
	if (!(c->flags & CMD_FIT)) return 0;
	for (size_t i = 0; i < a->ngiven; i++)
		if (a->given[i].opt->name && strcmp(a->given[i].opt->name, "json") == 0) return 0;
	return 1;
}

static int run_fitted(const struct cmd_entry *c, struct gs_ctx *ctx, const struct cmd_args *a)
{
	struct fit_capture cap;
	if (!fitted(c, a) || fit_capture_begin(&cap) != 0) return run_in_workspace(c, ctx, a);
	int rc = run_in_workspace(c, ctx, a);
	fit_capture_end(&cap);
	return rc;
}

int cmd_run(const struct cmd_entry *c, struct gs_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *top = c, *sub = c->subs && argc >= 2 ? sub_named(c, argv[1]) : NULL;
	if (sub) {
		c = sub;
		argc--;
		argv++;
	} else if (c->subs && !wants_help(argc, argv)) {
		return refuse_sub(c, argc, argv);
	}
	if (wants_help(argc, argv)) {
		cmd_print_help(stdout, c);
		return 0;
	}
	struct cmd_args a;
	int rc = cmd_parse(top, c, argc, argv, &a);
	if (rc) return rc;
	rc = run_fitted(c, ctx, &a);
	cmd_args_free(&a);
	return rc;
}

#ifndef GOLDSET_VERSION
#define GOLDSET_VERSION "0.0.0"
#endif

/* the global options (-C DIR, --help, --version), then the command named
 * after them, run with its own options */
int cmd_main(int argc, char **argv)
{
	struct gs_ctx ctx = {0};
	int i = 1;
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
	fit_init(1);
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
