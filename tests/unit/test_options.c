/* test_options.c: the one option parser (src/cmd/parse.c): options before,
 * between and after positional arguments, --name=VALUE, short letters and
 * clusters, repeated options in order (the last one counts for args_get),
 * `--` ending the options, positional counts, unknown options and missing
 * values refused in one line with the usage (EX_USAGE); subcommands;
 * --help generated from the table, and every command's help lists every
 * option of its table; the workspace is opened only when the entry asks
 * for it, and not with its no_ws_with option. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "base/util.h"

static const struct cmd_option opts[] = {
	{"rubric", 0, CMD_ARG_REQUIRED, "R", "the rubric"},
	{"json", 0, CMD_ARG_NONE, NULL, "JSON"},
	{"max-count", 'n', CMD_ARG_REQUIRED, "N", "how many"},
	{NULL, 'k', CMD_ARG_NONE, NULL, "keep"},
	{"level", 0, CMD_ARG_OPTIONAL, "L", "the level"},
	{"map", 0, CMD_ARG_REQUIRED, "SPEC", "a map, repeatable"},
	{0},
};

static const struct cmd_entry entry = {
	.name = "t", .usage = "goldset t FILE [FILE] [--rubric R]", .summary = "a test", .options = opts,
	.example = "goldset t a.jsonl --rubric qa", .min_args = 1, .max_args = 2, .args_missing = "no file given",
};

static char err[4096];   /* what was written to stderr between capture_stderr and release_stderr */
static FILE *capture;
static int saved_fd = -1;

static void capture_stderr(void)
{
	fflush(stderr);
	capture = tmpfile();
	saved_fd = dup(2);
	dup2(fileno(capture), 2);
}

static void release_stderr(void)
{
	fflush(stderr);
	dup2(saved_fd, 2);
	close(saved_fd);
	rewind(capture);
	size_t n = fread(err, 1, sizeof err - 1, capture);
	err[n] = 0;
	fclose(capture);
}

/* parses the words of line (split at spaces) into *a, stderr into err */
static int parse(const char *line, struct cmd_args *a)
{
	static char buf[512];
	static char *argv[64];
	int argc = 0;
	snprintf(buf, sizeof buf, "t %s", line);
	for (char *w = strtok(buf, " "); w && argc < 63; w = strtok(NULL, " ")) argv[argc++] = w;
	argv[argc] = NULL;
	capture_stderr();
	int rc = cmd_parse(&entry, &entry, argc, argv, a);
	release_stderr();
	return rc;
}

static void refused(const char *line, const char *msg)
{
	struct cmd_args a;
	assert_int_equal(parse(line, &a), EX_USAGE);
	char want[256];
	snprintf(want, sizeof want, "goldset t: %s\nusage: goldset t FILE [FILE] [--rubric R]\n", msg);
	assert_string_equal(err, want);
}

static void options_anywhere(void **state)
{
	(void)state;
	struct cmd_args a;
	assert_int_equal(parse("--json a --rubric qa b", &a), 0);
	assert_int_equal(a.argc, 2);
	assert_string_equal(a.argv[0], "a");
	assert_string_equal(a.argv[1], "b");
	assert_null(a.argv[2]);
	assert_true(args_has(&a, "json"));
	assert_null(args_get(&a, "json"));
	assert_string_equal(args_get(&a, "rubric"), "qa");
	assert_false(args_has(&a, "map"));
	assert_null(args_get(&a, "map"));
	assert_false(args_has(&a, "k"));
	cmd_args_free(&a);
	setenv("POSIXLY_CORRECT", "1", 1);   /* options after arguments all the same */
	assert_int_equal(parse("a --json", &a), 0);
	unsetenv("POSIXLY_CORRECT");
	assert_true(args_has(&a, "json"));
	assert_int_equal(a.argc, 1);
	cmd_args_free(&a);
}

static void equals_form(void **state)
{
	(void)state;
	struct cmd_args a;
	assert_int_equal(parse("a --rubric=qa --level=ordinal --max-count=3", &a), 0);
	assert_string_equal(args_get(&a, "rubric"), "qa");
	assert_string_equal(args_get(&a, "level"), "ordinal");
	assert_string_equal(args_get(&a, "max-count"), "3");
	cmd_args_free(&a);
	assert_int_equal(parse("--rubric= a", &a), 0);   /* an empty value is a value */
	assert_string_equal(args_get(&a, "rubric"), "");
	cmd_args_free(&a);
	/* an optional value only after =: the next word is an argument */
	assert_int_equal(parse("--level a", &a), 0);
	assert_true(args_has(&a, "level"));
	assert_null(args_get(&a, "level"));
	assert_string_equal(a.argv[0], "a");
	cmd_args_free(&a);
	/* a value that looks like an option is taken as the value */
	assert_int_equal(parse("a --rubric --json", &a), 0);
	assert_string_equal(args_get(&a, "rubric"), "--json");
	assert_false(args_has(&a, "json"));
	cmd_args_free(&a);
}

static void short_letters(void **state)
{
	(void)state;
	struct cmd_args a;
	assert_int_equal(parse("a -n 5 -k", &a), 0);
	assert_string_equal(args_get(&a, "max-count"), "5");
	assert_true(args_has(&a, "k"));
	cmd_args_free(&a);
	assert_int_equal(parse("-kn7 a", &a), 0);
	assert_true(args_has(&a, "k"));
	assert_string_equal(args_get(&a, "max-count"), "7");
	cmd_args_free(&a);
	assert_int_equal(parse("--max 4 a", &a), 0);   /* a prefix naming one option */
	assert_string_equal(args_get(&a, "max-count"), "4");
	assert_int_equal(a.argc, 1);
	cmd_args_free(&a);
}

static void repeated(void **state)
{
	(void)state;
	struct cmd_args a;
	assert_int_equal(parse("--map id=x a --rubric r1 --map=input=y --rubric r2", &a), 0);
	assert_string_equal(args_nth(&a, "map", 0), "id=x");
	assert_string_equal(args_nth(&a, "map", 1), "input=y");
	assert_null(args_nth(&a, "map", 2));
	assert_string_equal(args_get(&a, "map"), "input=y");
	assert_string_equal(args_get(&a, "rubric"), "r2");
	assert_int_equal(a.ngiven, 4);
	assert_string_equal(a.given[0].opt->name, "map");
	assert_string_equal(a.given[1].opt->name, "rubric");
	cmd_args_free(&a);
}

static void double_dash(void **state)
{
	(void)state;
	struct cmd_args a;
	assert_int_equal(parse("--json -- --rubric -n", &a), 0);
	assert_true(args_has(&a, "json"));
	assert_false(args_has(&a, "rubric"));
	assert_int_equal(a.argc, 2);
	assert_string_equal(a.argv[0], "--rubric");
	assert_string_equal(a.argv[1], "-n");
	cmd_args_free(&a);
	assert_int_equal(parse("- --json", &a), 0);   /* "-" alone is an argument (standard input) */
	assert_string_equal(a.argv[0], "-");
	cmd_args_free(&a);
}

static void mistakes(void **state)
{
	(void)state;
	refused("a --bogus", "unknown option --bogus");
	refused("a --bogus=1", "unknown option --bogus=1");
	refused("-x a", "unknown option -x");
	refused("-kx a", "unknown option -x");
	refused("a --json=1", "unknown option --json=1");
	refused("a --rubric", "--rubric needs a value");
	refused("a -n", "-n needs a value");
	refused("a -kn", "-n needs a value");
	refused("a --max-count", "--max-count needs a value");
	refused("--json", "no file given");
	refused("a b c d", "unexpected argument c");
	refused("", "no file given");
}

static void counts(void **state)
{
	(void)state;
	static const struct cmd_entry any = {.name = "t", .usage = "goldset t", .summary = "s", .max_args = -1};
	static const struct cmd_entry none = {.name = "t", .usage = "goldset t", .summary = "s"};
	char *many[] = {"t", "a", "b", "c", "d", "e", NULL}, *one[] = {"t", "a", NULL};
	struct cmd_args a;
	assert_int_equal(cmd_parse(&any, &any, 6, many, &a), 0);
	assert_int_equal(a.argc, 5);
	cmd_args_free(&a);
	assert_int_equal(cmd_parse(&none, &none, 1, many, &a), 0);
	cmd_args_free(&a);
	capture_stderr();
	int rc = cmd_parse(&none, &none, 2, one, &a);
	release_stderr();
	assert_int_equal(rc, EX_USAGE);
	assert_string_equal(err, "goldset t: unexpected argument a\nusage: goldset t\n");
}

/* --help output of c */
static char *help_of(const struct cmd_entry *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	cmd_print_help(f, c);
	fclose(f);
	return text;
}

static void help_lists_options(void **state)
{
	(void)state;
	char *h = help_of(&entry);
	assert_non_null(strstr(h, "usage: goldset t FILE [FILE] [--rubric R]\n\na test\n\n"));
	assert_non_null(strstr(h, "    --rubric R              the rubric\n"));
	assert_non_null(strstr(h, "    -n, --max-count N       how many\n"));
	assert_non_null(strstr(h, "    -k                      keep\n"));
	assert_non_null(strstr(h, "    --level[=L]             the level\n"));
	assert_non_null(strstr(h, "\nexample: goldset t a.jsonl --rubric qa\n"));
	free(h);
}

/* every option of c's table (and of its subcommands') has its line */
static void has_every_option(const struct cmd_entry *c, const char *help)
{
	for (const struct cmd_option *o = c->options; o && (o->name || o->letter); o++) {
		char want[128];
		if (o->name) snprintf(want, sizeof want, "--%s", o->name);
		else snprintf(want, sizeof want, "    -%c ", o->letter);
		if (!strstr(help, want) || !strstr(help, o->help)) fail_msg("goldset %s --help lacks %s", c->name, want);
	}
	for (size_t i = 0; c->subs && c->subs[i]; i++) has_every_option(c->subs[i], help);
}

static void every_command_help(void **state)
{
	(void)state;
	for (size_t i = 0; commands[i]; i++) {
		const struct cmd_entry *c = commands[i];
		char *h = help_of(c);
		has_every_option(c, h);
		if (!c->example || !strstr(h, "\nexample: ")) fail_msg("goldset %s --help has no example", c->name);
		assert_ptr_equal(cmd_find(c->name), c);
		free(h);
	}
}

static int calls;
static int probe(struct gs_ctx *ctx, const struct cmd_args *a)
{
	calls++;
	assert_null(ctx->ws);
	assert_string_equal(a->entry->name, "sub");
	assert_string_equal(args_get(a, "table"), "x.csv");
	return 7;
}

static void subcommands_and_workspace(void **state)
{
	(void)state;
	static const struct cmd_option topts[] = {{"table", 0, CMD_ARG_REQUIRED, "FILE", "no workspace"}, {0}};
	static const struct cmd_entry sub = {.name = "sub", .usage = "goldset t sub", .summary = "s", .options = topts,
					     .flags = CMD_WS_READ, .no_ws_with = "table", .run = probe};
	static const struct cmd_entry *const subs[] = {&sub, NULL};
	static const struct cmd_entry top = {.name = "t", .usage = "goldset t sub", .summary = "s", .subs = subs};
	struct gs_ctx ctx = {.dir = "/nonexistent/goldset-test"};
	char *ok[] = {"t", "sub", "--table", "x.csv", NULL}, *ws[] = {"t", "sub", NULL};
	char *bad[] = {"t", "nope", NULL}, *bare[] = {"t", NULL};
	assert_int_equal(cmd_run(&top, &ctx, 4, ok), 7);   /* --table: no workspace opened */
	assert_int_equal(calls, 1);
	capture_stderr();
	int rc = cmd_run(&top, &ctx, 2, ws);
	release_stderr();
	assert_int_not_equal(rc, 0);   /* no workspace there: refused before run */
	assert_int_equal(calls, 1);
	capture_stderr();
	rc = cmd_run(&top, &ctx, 2, bad);
	release_stderr();
	assert_int_equal(rc, EX_USAGE);
	assert_string_equal(err, "goldset t: unknown subcommand nope\nusage: goldset t sub\n");
	capture_stderr();
	rc = cmd_run(&top, &ctx, 1, bare);
	release_stderr();
	assert_int_equal(rc, EX_USAGE);
	assert_string_equal(err, "goldset t: which: sub?\nusage: goldset t sub\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(options_anywhere),
		cmocka_unit_test(equals_form),
		cmocka_unit_test(short_letters),
		cmocka_unit_test(repeated),
		cmocka_unit_test(double_dash),
		cmocka_unit_test(mistakes),
		cmocka_unit_test(counts),
		cmocka_unit_test(help_lists_options),
		cmocka_unit_test(every_command_help),
		cmocka_unit_test(subcommands_and_workspace),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
