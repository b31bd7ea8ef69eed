/* cmd-log.c: `goldset log [-n N]`: the label-set versions, newest first:
 * the commits that changed golden/, rubrics/, labels/ or reviews/, each
 * with its id, date, author and message (whose summary, written by
 * `goldset commit`, counts the items and labels added, changed and removed).
 * Messages and names come from other people: printed escaped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "base/text.h"
#include "vcs/vcs.h"
#include "app/ws.h"

struct lg { long left; int first; };

static void print_when(int64_t t, int tz)
{
	time_t local = (time_t)(t + (int64_t)tz * 60);
	struct tm tm;
	char buf[32];
	gmtime_r(&local, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
	int a = tz < 0 ? -tz : tz;
	printf("%s %c%02d%02d", buf, tz < 0 ? '-' : '+', a / 60, a % 60);
}

/* the message, one indented line each; the summary's header line left out */
static void print_message(const char *msg)
{
	for (const char *p = msg; *p;) {
		size_t n = strcspn(p, "\n");
		size_t lead = strspn(p, " \t");
		if (lead > n) lead = n;
		if (n > lead && !(n == 16 && strncmp(p, "goldset summary:", 16) == 0)) {
			char *line = text_escape_line(p + lead, n - lead);
			printf("    %s%s\n", lead ? "  " : "", line);
			free(line);
		}
		p += n + (p[n] == '\n');
	}
}

static int one(const struct vcs_log_entry *c, void *arg)
{
	struct lg *g = arg;
	if (g->left == 0) return 1;
	if (g->left > 0) g->left--;
	char *name = text_escape(c->author_name), *email = text_escape(c->author_email);
	printf("%s%.12s  ", g->first ? "" : "\n", c->id);
	print_when(c->time, c->tz_minutes);
	printf("  %s <%s>%s\n", name, email, c->parents > 1 ? "  (merge)" : "");
	print_message(c->message ? c->message : c->summary);
	g->first = 0;
	free(name);
	free(email);
	return 0;
}

static int run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	struct lg g = {-1, 1};
	for (size_t i = 0; args_nth(a, "max-count", i); i++)
		if (parse_long(args_nth(a, "max-count", i), &g.left) || g.left < 0)
			return cmd_usage(&cmd_log, "-n needs a number >= 0");
	struct gs_err e = {0};
	struct vcs *r = NULL;
	int rc = vcs_open(ctx->ws->root, &r, &e);
	if (!rc) rc = vcs_log(r, NULL, NULL, one, &g, &e);
	if (!rc && g.first) fprintf(stderr, "goldset: no label-set versions yet (goldset commit -m MSG makes one)\n");
	if (rc) gs_report(&e);
	vcs_close(r);
	return rc;
}

static const struct cmd_option options[] = {
	{"max-count", 'n', CMD_ARG_REQUIRED, "N", "only the N newest versions"},
	{0},
};

const struct cmd_entry cmd_log = {
	.name = "log",
	.usage = "goldset log [-n N]",
	.summary = "list the label-set versions (commits) with what each added, changed and removed",
	.options = options,
	.example = "goldset log -n 5",
	.flags = CMD_WS_READ,
	.run = run,
};
