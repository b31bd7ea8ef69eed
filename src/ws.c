/* ws.c: the workspace: a git repository with .goldset/goldset.db beside
 * golden/, rubrics/ and labels/. Finds it (walking up like git, or -C),
 * creates or adopts it (`goldset init`), keeps the store's rubrics in step
 * with rubrics/NAME.json, and picks the rubric a command works with. */
#include "ws.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "embedded.h"
#include "ingest.h"
#include "jsoncheck.h"
#include "vcs.h"

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

static int open_store(struct ws *w, enum store_mode mode, struct gs_err *e)
{
	char *db = ws_path(w, ".goldset/goldset.db");
	int rc = store_open_mode(db, mode, &w->st, e);
	free(db);
	return rc;
}

/* a full disk: no block left (before anything is tried), or less than
 * `under` bytes left (after a write failed for want of them) */
static const char *disk_full(const struct ws *w, unsigned long long under)
{
	char *dir = ws_path(w, ".goldset");
	struct statvfs sv;
	int full = statvfs(dir, &sv) == 0 && (unsigned long long)sv.f_bavail * sv.f_frsize <= under;
	free(dir);
	return full ? "the disk is full" : NULL;
}

#define NEARLY_FULL (1ULL << 20)

/* why nothing can be saved in the workspace, or NULL when it looks
 * writable: .goldset/ read-only (a read-only mount, permissions), a full
 * disk (where even opening the store read-write would leave empty -wal and
 * -shm files behind) */
static const char *cannot_write(const struct ws *w)
{
	char *dir = ws_path(w, ".goldset"), *db = ws_path(w, ".goldset/goldset.db");
	int ro = access(dir, W_OK) != 0 || access(db, W_OK) != 0;
	free(dir);
	free(db);
	return ro ? "the workspace is read-only" : disk_full(w, 0);
}

/* the store read-write, migrated, golden/ repaired, rubrics/ synced */
static int open_writing(struct ws *w, struct gs_err *e)
{
	return open_store(w, STORE_WRITE, e) || ingest_repair_golden(w, e) || ws_sync_rubrics(w, e) ? e->code : 0;
}

/* No symbolic link anywhere in goldset's folders, nor as them: a link a
 * teammate committed (or anyone placed) would make goldset read or write a
 * file outside the workspace.  Checked by every command before it reads or
 * writes anything; the files are checked again where they are opened
 * (path_nolinks).  The same for .git: a link there would make every
 * commit land in a repository outside the workspace. */
static char *link_found;

static int link_visit(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)f;
	if (flag != FTW_SL) return 0;
	link_found = xstrdup(path);
	return 1;
}

static int folders_nolinks(struct ws *w, struct gs_err *e)
{
	static const char *const dirs[] = {".goldset", "golden", "rubrics", "labels", "reviews",
					   "consensus", "batches", ".gitattributes", ".gitignore"};
	int rc = 0;
	for (size_t i = 0; i < ARRAY_LEN(dirs) && !rc; i++) {
		char *p = ws_path(w, dirs[i]);
		rc = path_nolinks(p, e);
		if (!rc && is_dir(p) && nftw(p, link_visit, 16, FTW_PHYS) == 1 && link_found) {
			rc = gs_fail(e, EX_DATAERR, "%s is a symbolic link: goldset does not follow links "
				     "in a workspace", link_found);
			free(link_found);
			link_found = NULL;
		}
		free(p);
	}
	/* .git itself (a folder, or a worktree's "gitdir:" file) is no link; inside, it is git's */
	char *git = ws_path(w, ".git");
	if (!rc) rc = path_nolinks(git, e);
	free(git);
	return rc;
}

/* the workspace's root, with no symbolic link in goldset's folders */
static int find_checked(const struct gs_ctx *ctx, struct ws *w, struct gs_err *e)
{
	if (ws_find_root(ctx && ctx->dir ? ctx->dir : ".", &w->root, e)) return e->code;
	ws_links_root(w->root);
	if (folders_nolinks(w, e)) {
		ws_close(w);
		return e->code;
	}
	return 0;
}

int ws_open(const struct gs_ctx *ctx, struct ws *w, struct gs_err *e)
{
	memset(w, 0, sizeof *w);
	if (find_checked(ctx, w, e)) return e->code;
	const char *why = cannot_write(w);
	int rc = why ? gs_fail(e, EX_IOERR, "%s: %s: nothing can be saved", w->root, why)
		     : open_writing(w, e);
	if ((rc == EX_IOERR || rc == EX_CANTCREAT) && (why = disk_full(w, NEARLY_FULL)) != NULL)
		gs_fail(e, rc, "%s: %s: nothing can be saved", w->root, why);
	if (rc) ws_close(w);
	return rc;
}

/* commands that only read: a workspace that cannot be written (read-only,
 * a full disk) is opened read-only, without migrations or repairs, and
 * that is said once; any other failure is reported as it is */
int ws_open_read(const struct gs_ctx *ctx, struct ws *w, struct gs_err *e)
{
	memset(w, 0, sizeof *w);
	if (find_checked(ctx, w, e)) return e->code;
	const char *why = cannot_write(w);
	if (!why && open_writing(w, e) == 0) return 0;
	if (!why && (e->code == EX_IOERR || e->code == EX_CANTCREAT)) why = disk_full(w, NEARLY_FULL);
	store_close(w->st);
	w->st = NULL;
	if (!why) {
		ws_close(w);
		return e->code;
	}
	fprintf(stderr, "goldset: %s: nothing can be saved\n", why);
	if (open_store(w, STORE_READ, e)) {
		ws_close(w);
		return e->code;
	}
	return 0;
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

/* ---- init ---- */

/* the lines of want missing from the file at rel (one line each) are appended */
static int ensure_lines(const char *root, const char *rel, const char *const *want, struct gs_err *e)
{
	char *path = path_join(root, rel), *text = NULL;
	size_t len = 0;
	struct gs_err ignore;
	int rc = 0;
	if (read_file(path, &text, &len, &ignore)) text = xstrdup("");
	struct sbuf b = {0};
	sb_add(&b, text);
	for (size_t k = 0; want[k]; k++) {
		size_t n = strlen(want[k]);
		int present = 0;
		for (char *line = text; line && *line && !present;) {
			char *nl = strchr(line, '\n');
			present = (size_t)(nl ? nl - line : (ptrdiff_t)strlen(line)) == n && strncmp(line, want[k], n) == 0;
			line = nl ? nl + 1 : NULL;
		}
		if (present) continue;
		if (b.len && b.p[b.len - 1] != '\n') sb_addc(&b, '\n');
		sb_add(&b, want[k]);
		sb_addc(&b, '\n');
	}
	if (b.len != len) rc = write_file_atomic(path, b.p, b.len, e);
	sb_free(&b);
	free(text);
	free(path);
	return rc;
}

static int ensure_gitignore(const char *root, struct gs_err *e)
{
	static const char *const lines[] = {".goldset/", NULL};
	char *path = path_join(root, ".gitignore"), *text = NULL;
	size_t len = 0;
	struct gs_err ignore;
	int old_form = read_file(path, &text, &len, &ignore) == 0 &&
		       (strncmp(text, ".goldset\n", 9) == 0 || strstr(text, "\n.goldset\n"));
	free(text);
	free(path);
	return old_form ? 0 : ensure_lines(root, ".gitignore", lines, e);
}

/* Shared files merge by goldset's rule, also in a `git pull` by hand:
 * .gitattributes names the driver for them (committed, so every clone has
 * it) and .git/config says how to run it (set by every init). */
static int ensure_merge_driver(const char *root, struct vcs *repo, struct gs_err *e)
{
	static const char *const lines[] = {
		"labels/** merge=goldset", "consensus/** merge=goldset", "batches/** merge=goldset",
		"reviews/*.jsonl merge=goldset", NULL};
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = 0;
	char *cmd = xasprintf("'%s' merge-driver %%O %%A %%B %%P", n > 0 && !strchr(exe, '\'') ? exe : "goldset");
	int rc = ensure_lines(root, ".gitattributes", lines, e);
	if (!rc) rc = vcs_config_set(repo, "merge.goldset.name", "goldset: last writer wins per label", e);
	if (!rc) rc = vcs_config_set(repo, "merge.goldset.driver", cmd, e);
	free(cmd);
	return rc;
}

static int seed_rubrics(const char *root, struct gs_err *e)
{
	for (const struct embedded_file *f = embedded_files; f->path; f++) {
		if (strncmp(f->path, "rubrics/", 8) != 0) continue;
		char *dst = path_join(root, f->path);
		int rc = path_exists(dst) ? 0 : write_file_atomic(dst, f->data, f->size, e);
		free(dst);
		if (rc) return rc;
	}
	return 0;
}

static int make_dirs(const char *root, struct gs_err *e)
{
	static const char *const dirs[] = {".goldset", "golden", "rubrics", "labels"};
	for (size_t i = 0; i < ARRAY_LEN(dirs); i++) {
		char *p = path_join(root, dirs[i]);
		int rc = mkdir_p(p);
		int err = errno;
		free(p);
		if (rc) return gs_fail(e, EX_CANTCREAT, "%s/%s: %s", root, dirs[i], strerror(err));
	}
	return 0;
}

int ws_init(const char *dir, struct ws *w, int *created, struct gs_err *e)
{
	memset(w, 0, sizeof *w);
	if (vcs_global_init(e)) return e->code;  /* no git: create nothing */
	if (mkdir_p(dir)) return gs_fail(e, EX_CANTCREAT, "%s: %s", dir, strerror(errno));
	struct vcs *repo;
	int new_repo = 0;
	if (vcs_init(dir, &repo, &new_repo, e)) return e->code;
	w->root = xstrdup(vcs_workdir(repo));
	ws_links_root(w->root);
	if (folders_nolinks(w, e)) {
		vcs_close(repo);
		free(w->root);
		w->root = NULL;
		return e->code;
	}
	int rc = ensure_merge_driver(w->root, repo, e);
	vcs_close(repo);
	if (rc) return rc;
	char *db = ws_path(w, ".goldset/goldset.db");
	*created = !path_exists(db);
	free(db);
	struct import_stats is;
	struct label_stats ls;
	if (make_dirs(w->root, e) || ensure_gitignore(w->root, e) || seed_rubrics(w->root, e) || open_store(w, STORE_CREATE, e) ||
	    ingest_repair_golden(w, e) || ws_sync_rubrics(w, e) || ingest_golden_tree(w, &is, e) || ingest_label_tree(w, "init", &ls, e)) {
		ws_close(w);
		return e->code;
	}
	return 0;
}
