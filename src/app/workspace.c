/* workspace.c: opening a workspace for a command and creating one
 * (workspace.h): the store opened read-write (golden/ repaired, rubrics/
 * synced) or read-only when nothing can be saved; `init` makes the folders,
 * the git repository and the store, then loads golden/ and labels/. Above
 * ws.c (the workspace's paths and rubrics) and ingest.c (the loads). */
#include "app/workspace.h"

#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "base/embedded.h"
#include "app/ingest.h"
#include "vcs/vcs.h"

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
					   "consensus", "batches", "judges", ".gitattributes", ".gitignore"};
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
static int find_checked(const char *dir, struct ws *w, struct gs_err *e)
{
	if (ws_find_root(dir ? dir : ".", &w->root, e)) return e->code;
	ws_links_root(w->root);
	if (folders_nolinks(w, e)) {
		ws_close(w);
		return e->code;
	}
	return 0;
}

int workspace_open(const char *dir, struct ws *w, struct gs_err *e)
{
	memset(w, 0, sizeof *w);
	if (find_checked(dir, w, e)) return e->code;
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
int workspace_open_read(const char *dir, struct ws *w, struct gs_err *e)
{
	memset(w, 0, sizeof *w);
	if (find_checked(dir, w, e)) return e->code;
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

int workspace_init(const char *dir, struct ws *w, int *created, struct gs_err *e)
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
