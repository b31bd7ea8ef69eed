/* ws.c: the workspace: a git repository with .goldset/goldset.db beside
 * golden/, rubrics/ and labels/. Finds it (walking up like git, or -C),
 * keeps the store's rubrics in step with rubrics/NAME.json, and picks the
 * rubric and rater a command works with. Opening it for a command and
 * creating it (`goldset init`) are workspace.c's. */
#include "app/ws.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/jsoncheck.h"

char *ws_path(const struct ws *w, const char *rel) { return path_join(w->root, rel); }

int ws_find_root(const char *start, char **root, struct gs_err *e)
{
	char *dir = realpath(start, NULL);
	if (!dir) return gs_fail(e, EX_NOINPUT, "%s: %s", start, strerror(errno));
	for (;;) {
		char *db = path_join(dir, ".goldset/goldset.db");
		int found = path_exists(db);
		free(db);
		if (found) {
			*root = dir;
			return 0;
		}
		char *slash = strrchr(dir, '/');
		if (!slash || slash == dir) break;
		*slash = 0;
	}
	free(dir);
	return gs_fail(e, EX_NOINPUT, "not in a goldset workspace (or any parent of %s); run `goldset init` first",
		       start);
}

void ws_close(struct ws *w)
{
	store_close(w->st);
	free(w->root);
	memset(w, 0, sizeof *w);
}

static int sync_one(struct ws *w, const char *path, struct gs_err *e)
{
	char *text;
	size_t len;
	struct gs_err ignore;
	if (path_nolinks(path, e)) return e->code;
	if (read_file(path, &text, &len, &ignore)) return 0;
	struct rubric *r;
	char *rel = xasprintf("rubrics/%s", strrchr(path, '/') + 1);
	if (rubric_parse(text, len, rel, &r, &ignore, NULL, NULL)) {
		fprintf(stderr, "goldset: warning: %s (skipped; see goldset rubric check)\n", ignore.msg);
		free(text);
		free(rel);
		return 0;
	}
	free(rel);
	struct store_rubric cur;
	int rc = 0;
	int have = store_rubric_get(w->st, r->name, &cur, &ignore) == 0;
	if (!have || strcmp(cur.hash, r->hash) != 0) {
		struct store_rubric sr = {r->name, r->hash, text, r->mode, r->version};
		rc = store_rubric_put(w->st, &sr, e);
	}
	if (have) store_rubric_free(&cur);
	rubric_free(r);
	free(text);
	return rc;
}

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n > m && strcmp(s + n - m, suf) == 0;
}

int ws_sync_rubrics(struct ws *w, struct gs_err *e)
{
	char *dir = ws_path(w, "rubrics");
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort);
	int rc = 0;
	for (int i = 0; i < n; i++) {
		if (!rc && has_suffix(names[i]->d_name, ".json") && names[i]->d_name[0] != '.') {
			char *p = path_join(dir, names[i]->d_name);
			rc = sync_one(w, p, e);
			free(p);
		}
		free(names[i]);
	}
	free(names);
	free(dir);
	return rc;
}

struct pick { const char *mode; char *only; int count; struct sbuf names; };

static int pick_cb(void *ctx, const struct store_rubric *r)
{
	struct pick *p = ctx;
	if (p->mode && strcmp(p->mode, r->mode) != 0) return 0;
	p->count++;
	free(p->only);
	p->only = xstrdup(r->name);
	sb_addf(&p->names, "%s%s", p->names.len ? ", " : "", r->name);
	return 0;
}

static int load_rubric(struct ws *w, const char *name, struct rubric **out, struct gs_err *e)
{
	struct store_rubric sr;
	if (store_rubric_get(w->st, name, &sr, e)) return e->code;
	char *where = xasprintf("rubric %s", name);
	int rc = rubric_parse(sr.json, strlen(sr.json), where, out, e, NULL, NULL);
	free(where);
	store_rubric_free(&sr);
	return rc;
}

int ws_rubric(struct ws *w, const char *name, const char *mode, struct rubric **out, struct gs_err *e)
{
	char key[64];
	snprintf(key, sizeof key, "rubric.%s", mode ? mode : "any");
	if (name) {
		if (load_rubric(w, name, out, e)) return e->code;
		if (mode && strcmp((*out)->mode, mode) != 0) {
			gs_fail(e, EX_USAGE, "rubric \"%s\" is for %s labeling, not %s", name, (*out)->mode, mode);
			rubric_free(*out);
			return EX_USAGE;
		}
		char *last = NULL;
		struct gs_err ignore;
		store_setting_get(w->st, key, &last, &ignore);
		if ((!last || strcmp(last, name) != 0) && !store_readonly(w->st))
			store_setting_set(w->st, key, name, &ignore); /* remembered */
		free(last);
		return 0;
	}
	char *last = NULL;
	struct gs_err ignore;
	store_setting_get(w->st, key, &last, &ignore);
	if (last && load_rubric(w, last, out, &ignore) == 0) {
		free(last);
		return 0;
	}
	free(last);
	struct pick p = {mode, NULL, 0, {0}};
	if (store_rubrics_each(w->st, pick_cb, &p, e)) return e->code;
	int rc;
	if (p.count == 1) rc = load_rubric(w, p.only, out, e);
	else if (p.count == 0) rc = gs_fail(e, EX_NOINPUT, "no %s rubric in rubrics/ (see goldset rubric list)", mode ? mode : "");
	else rc = gs_fail(e, EX_USAGE, "several rubrics; choose one with --rubric NAME (%s)", p.names.p);
	free(p.only);
	sb_free(&p.names);
	return rc;
}

const char *ws_rater(const char *as) { return as && *as ? as : gs_login(); }

int ws_rater_check(const char *as)
{
	return jsoncheck_usage(as && *as ? "--as" : "the login name (choose a rater name with --as)", ws_rater(as));
}

int ws_rubric_single_first(struct ws *w, const char *name, struct rubric **out, struct gs_err *e)
{
	if (name) return ws_rubric(w, name, NULL, out, e);
	if (ws_rubric(w, NULL, "single", out, e) == 0) return 0;
	struct gs_err again;
	return ws_rubric(w, NULL, NULL, out, &again) == 0 ? 0 : e->code;
}

/* --batch NAME: *rubric gets the batch's rubric (malloc'd) */
static int batch_rubric(struct ws *w, const char *batch, const char *rubric_opt, const char *rater, char **rubric,
			struct gs_err *e)
{
	int member = 0;
	long long n = 0;
	if (store_batch_get(w->st, batch, rater, rubric, &member, &n, e)) return e->code;
	if (rubric_opt && strcmp(rubric_opt, *rubric) != 0)
		return gs_fail(e, EX_USAGE, "batch %s uses rubric %s, not %s (leave out --rubric)", batch, *rubric,
			       rubric_opt);
	if (!member)
		return gs_fail(e, EX_NOPERM, "%s is not one of the raters of batch %s (work on it --as one of them)",
			       rater, batch);
	return 0;
}

int ws_screen_rubric(struct ws *w, const char *batch, const char *rubric_opt, const char *rater,
		     const char *mode, struct rubric **out, struct gs_err *e)
{
	char *name = NULL;
	int rc = batch ? batch_rubric(w, batch, rubric_opt, rater, &name, e) : 0;
	if (!rc) rc = ws_rubric(w, name ? name : rubric_opt, mode, out, e);
	free(name);
	return rc;
}
