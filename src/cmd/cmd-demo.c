/* cmd-demo.c: `goldset demo`: makes a temporary workspace holding the
 * bundled example (compiled in from examples/demo/: the golden sets, two
 * raters' labels and pairwise choices, a finished calibration batch), loads
 * its shared files as a pull would, imports a judge's labels, and opens the
 * labeling screen on it (`--no-screen`, or no terminal: prints where it is
 * and what to try, the README's walkthrough). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/workspace.h"
#include "cmd/cmd.h"
#include "base/embedded.h"
#include "app/ingest.h"
#include "app/sync.h"
#include "vcs/vcs.h"

static int write_examples(const char *root, struct gs_err *e)
{
	const char *prefix = "examples/demo/";
	for (const struct embedded_file *f = embedded_files; f->path; f++) {
		if (strncmp(f->path, prefix, strlen(prefix)) != 0) continue;
		char *dst = path_join(root, f->path + strlen(prefix));
		char *slash = strrchr(dst, '/');
		*slash = 0;
		mkdir_p(dst);
		*slash = '/';
		int rc = write_file_atomic(dst, f->data, f->size, e);
		free(dst);
		if (rc) return rc;
	}
	return 0;
}

static int build(char *root, struct gs_err *e)
{
	struct ws w;
	int created;
	if (write_examples(root, e) || workspace_init(root, &w, &created, e)) return e->code;
	struct vcs *r = NULL;
	struct sync_stats ss;
	int rc = vcs_open(w.root, &r, e) || sync_load(&w, r, 1, &ss, e) ? e->code : 0;   /* batches/ too */
	vcs_close(r);
	char *judge = path_join(root, "judge.jsonl");
	struct label_stats ls;
	if (!rc && path_exists(judge)) rc = ingest_labels(&w, &judge, 1, "judge:demo-gpt", NULL, "import", &ls, e);
	free(judge);
	ws_close(&w);
	return rc;
}

static int run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	int screen = isatty(0) && isatty(1) && !args_has(a, "no-screen");
	const char *tmp = getenv("TMPDIR");
	char *root = xasprintf("%s/goldset-demo.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	struct gs_err e = {0};
	if (!mkdtemp(root)) {
		free(root);
		return gs_die(EX_CANTCREAT, "cannot create a temporary folder");
	}
	if (build(root, &e)) {
		free(root);
		return gs_report(&e);
	}
	gs_printf(stdout, "demo workspace: %s\n", root);
	const struct cmd_entry *label = cmd_find("label");
	if (!screen || !label) {
		gs_printf(stdout, "try:\n");
		gs_printf(stdout, "  cd %s\n", root);
		printf("  goldset stats\n  goldset agree --rubric support-answer --by query_type\n"
		       "  goldset agree --judge judge:demo-gpt --min-kappa 0.5\n"
		       "  goldset disagreements --criterion correctness\n  goldset rank --bootstrap 2000 --seed 1\n"
		       "  goldset calibrate report nov-cal\n  goldset label --rubric support-answer --as carol --overlap 2\n"
		       "  goldset pair --rubric pairwise-preference --as carol\n");
		free(root);
		return 0;
	}
	struct gs_ctx sub = *ctx;
	sub.dir = root;
	char *args[] = {"label", "--rubric", "support-answer", NULL};
	int rc = cmd_run(label, &sub, 3, args);
	gs_printf(stdout, "demo workspace kept at %s (cd there to try agree, stats, pair, commit)\n", root);
	free(root);
	return rc;
}

static const struct cmd_option options[] = {
	{"no-screen", 0, CMD_ARG_NONE, NULL, "only create the workspace and say where it is"},
	{0},
};

const struct cmd_entry cmd_demo = {
	.name = "demo",
	.usage = "goldset demo [--no-screen]",
	.summary = "a temporary workspace with a bundled example set, opened in the label screen",
	.options = options,
	.example = "goldset demo --no-screen",
	.run = run,
};
