/* sync.c: the working store kept in step with the files in git (see
 * sync.h).  The store is a cache of git plus the work not committed yet:
 * loading a revision takes in what the store has not seen of it (golden
 * sets that changed since the last revision loaded, rubrics, and every
 * shared file whose content the store has not absorbed yet), last writer
 * wins per key, so loading is idempotent and never brings an older value
 * back.  Which file contents were absorbed is remembered by blob id (the
 * setting "synced:PATH"), in the same transaction as the labels, so that a
 * command killed at any moment leaves a state the next load completes. */
#include "app/sync.h"

#include <dirent.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/ingest.h"
#include "app/revision.h"
#include "model/lwwmerge.h"
#include "app/shared.h"
#include "base/text.h"

/* ---- golden sets changed since the last revision loaded ---- */

struct change { char *path; char status; };

static int collect_change(const struct vcs_change *c, void *arg)
{
	struct change ch = {xstrdup(c->path), c->status};
	g_array_append_val((GArray *)arg, ch);
	return 0;
}

static void changes_free(GArray *ch)
{
	for (size_t i = 0; i < ch->len; i++) free(g_array_index(ch, struct change, i).path);
	g_array_free(ch, TRUE);
}

static int golden_name(const char *path)
{
	const char *name = path + 7;
	size_t len = strlen(name);
	return !strchr(name, '/') && *name != '.' && len > 6 && strcmp(name + len - 6, ".jsonl") == 0;
}

/* golden/SET.jsonl files added or changed between old_rev (NULL: none) and
 * new_rev, as the working tree holds them */
static int load_golden(struct ws *w, struct vcs *r, const char *old_rev, const char *new_rev,
		       struct sync_stats *st, struct gs_err *e)
{
	GArray *ch = g_array_new(FALSE, FALSE, sizeof(struct change));
	GPtrArray *files = g_ptr_array_new_with_free_func(free);
	int rc = vcs_changed_files(r, old_rev, new_rev, "golden/", collect_change, ch, e);
	for (size_t i = 0; !rc && i < ch->len; i++) {
		const struct change *c = &g_array_index(ch, struct change, i);
		if (c->status == 'D' || !golden_name(c->path)) continue;
		char *full = ws_path(w, c->path);
		if (path_exists(full)) g_ptr_array_add(files, full);
		else free(full);
	}
	struct import_opts o = {0};
	struct import_stats is = {0};
	if (!rc && files->len) rc = ingest_items(w, (char *const *)files->pdata, files->len, &o, &is, e);
	st->items_added += is.added;
	st->items_changed += is.changed;
	st->golden_files += files->len;
	g_ptr_array_free(files, TRUE);
	changes_free(ch);
	return rc;
}

/* ---- shared files not absorbed yet ---- */

static char *synced_key(const char *rel) { return xasprintf("synced:%s", rel); }

static int absorbed(struct ws *w, const char *rel, const char *blob)
{
	char *key = synced_key(rel), *v = NULL;
	struct gs_err ignore;
	store_setting_get(w->st, key, &v, &ignore);
	int same = v && strcmp(v, blob) == 0;
	free(v);
	free(key);
	return same;
}

int sync_mark_absorbed(struct ws *w, const char *rel, const char *blob, struct gs_err *e)
{
	char *key = synced_key(rel);
	int rc = store_setting_set(w->st, key, blob, e);
	free(key);
	return rc;
}

/* a file to load: its path, blob id and (once read) its text */
struct pfile { char *rel; char hex[41]; char *text; size_t len; };

/* files to load: label files, and the other shared files (shared.h) */
struct pending {
	struct ws *w;
	GArray *f[2];         /* struct pfile */
};

enum { P_LABELS, P_SHARED };

static struct pending pending_new(struct ws *w)
{
	struct pending p = {w, {g_array_new(FALSE, FALSE, sizeof(struct pfile)),
				g_array_new(FALSE, FALSE, sizeof(struct pfile))}};
	return p;
}

static struct pfile *pfile_at(GArray *f, size_t i) { return &g_array_index(f, struct pfile, i); }

static void pending_add(struct pending *p, int which, const char *rel, const char *hex, char *text, size_t len)
{
	struct pfile f = {xstrdup(rel), "", text, len};
	snprintf(f.hex, sizeof f.hex, "%s", hex);
	g_array_append_val(p->f[which], f);
}

static void pending_free(struct pending *p)
{
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < p->f[k]->len; i++) {
			free(pfile_at(p->f[k], i)->rel);
			free(pfile_at(p->f[k], i)->text);
		}
		g_array_free(p->f[k], TRUE);
	}
}

static int label_file(const char *rel)
{
	char *rubric, *rater;
	if (!labelsat_path(rel, &rubric, &rater)) return 0;
	free(rubric);
	free(rater);
	return 1;
}

/* which list rel belongs in; -1: not a file goldset shares */
static int kind_of(const char *rel)
{
	return label_file(rel) ? P_LABELS : shared_is_file(rel) ? P_SHARED : -1;
}

static int collect_new(const char *path, const char *blob_hex, void *arg)
{
	struct pending *p = arg;
	int k = kind_of(path);
	if (k >= 0 && !absorbed(p->w, path, blob_hex)) pending_add(p, k, path, blob_hex, NULL, 0);
	return 0;
}

/* batches, consensus and reviews: each file one transaction with its mark */
static int load_shared_texts(struct ws *w, GArray *files, struct gs_err *e)
{
	int rc = 0;
	for (size_t i = 0; i < files->len && !rc; i++) {
		const struct pfile *f = pfile_at(files, i);
		rc = store_begin(w->st, e);
		if (!rc) rc = shared_file_load(w, f->rel, f->text, f->len, e);
		if (!rc) rc = sync_mark_absorbed(w, f->rel, f->hex, e);
		if (rc) store_rollback(w->st);
		else rc = store_commit(w->st, e);
	}
	return rc;
}


/* loads the texts of label files into the store, one transaction */
static int load_label_texts(struct ws *w, GArray *files, struct sync_stats *st, struct gs_err *e)
{
	struct label_load *L;
	struct label_stats ls;
	if (!files->len) return 0;
	int rc = ingest_label_load_open(w, "pull", &L, e);
	if (rc) return rc;
	for (size_t i = 0; i < files->len && !rc; i++) {
		const struct pfile *f = pfile_at(files, i);
		long long older = ingest_label_load_older(L);
		rc = ingest_label_load_text(L, f->rel, f->rel, f->text, f->len, e);
		if (!rc && ingest_label_load_older(L) > older && !st->older_file[0])
			snprintf(st->older_file, sizeof st->older_file, "%s", f->rel);
		if (!rc) rc = sync_mark_absorbed(w, f->rel, f->hex, e);
	}
	rc = ingest_label_load_close(L, rc == 0, &ls, e) ? e->code : rc;
	if (!rc) {
		st->labels_added += ls.added;
		st->labels_older += ls.older;
		st->label_files += files->len;
	}
	return rc;
}

static int load_pending(struct ws *w, struct pending *p, struct sync_stats *st, struct gs_err *e)
{
	int rc = load_shared_texts(w, p->f[P_SHARED], e);
	if (!rc) rc = load_label_texts(w, p->f[P_LABELS], st, e);
	return rc;
}

/* shared files at rev whose content the store has not absorbed */
static int load_at(struct ws *w, struct vcs *r, const char *rev, struct sync_stats *st, struct gs_err *e)
{
	static const char *const folders[] = {"batches/", "consensus/", "reviews/", "labels/"};
	struct pending p = pending_new(w);
	int rc = 0;
	for (size_t i = 0; i < ARRAY_LEN(folders) && !rc; i++)
		rc = vcs_list_files_at(r, rev, folders[i], collect_new, &p, e);
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < p.f[k]->len && !rc; i++) {
			struct pfile *f = pfile_at(p.f[k], i);
			rc = vcs_read_file_at(r, rev, f->rel, &f->text, &f->len, e);
		}
	if (!rc) rc = load_pending(w, &p, st, e);
	pending_free(&p);
	return rc;
}

/* one file of the working tree, unless its content was absorbed */
static int worktree_file(struct pending *p, struct vcs *r, const char *rel, struct gs_err *e)
{
	int k = kind_of(rel);
	char *full = ws_path(p->w, rel), *text = NULL, hex[41];
	size_t len = 0;
	int rc = k < 0 ? 0 : read_file(full, &text, &len, e);
	if (k >= 0 && !rc) {
		vcs_hash_blob(r, text, len, hex);
		if (!absorbed(p->w, rel, hex)) {
			pending_add(p, k, rel, hex, text, len);
			text = NULL;
		}
	}
	free(text);
	free(full);
	return rc;
}

/* the files of one folder of the working tree (rel "labels/qa"), and with
 * depth 1 those of its sub-folders */
static int worktree_dir(struct pending *p, struct vcs *r, const char *rel, int depth, struct gs_err *e)
{
	char *dir = ws_path(p->w, rel);
	struct dirent **names = NULL;
	int k = is_dir(dir) ? scandir(dir, &names, NULL, alphasort) : 0, rc = 0;
	for (int i = 0; i < k; i++) {
		char *sub = xasprintf("%s/%s", rel, names[i]->d_name);
		if (!rc && names[i]->d_name[0] != '.')
			rc = depth ? worktree_dir(p, r, sub, depth - 1, e) : worktree_file(p, r, sub, e);
		free(sub);
		free(names[i]);
	}
	free(names);
	free(dir);
	return rc;
}

/* shared files of the working tree (edited by hand, or left by a git
 * merge) whose content the store has not absorbed */
static int load_worktree(struct ws *w, struct vcs *r, struct sync_stats *st, struct gs_err *e)
{
	struct pending p = pending_new(w);
	int rc = worktree_dir(&p, r, "batches", 0, e);
	if (!rc) rc = worktree_dir(&p, r, "consensus", 0, e);
	if (!rc) rc = worktree_dir(&p, r, "reviews", 0, e);
	if (!rc) rc = worktree_dir(&p, r, "labels", 1, e);
	if (!rc) rc = load_pending(w, &p, st, e);
	pending_free(&p);
	return rc;
}

/* the shared files that differ from HEAD in the working tree */
struct dirty { struct pending *p; struct vcs *r; struct gs_err *e; };

static int dirty_file(const char *path, void *arg)
{
	struct dirty *d = arg;
	char *full = ws_path(d->p->w, path);
	int rc = path_exists(full) ? worktree_file(d->p, d->r, path, d->e) : 0;
	free(full);
	return rc;
}

int sync_absorb_dirty(struct ws *w, struct vcs *r, struct sync_stats *st, struct gs_err *e)
{
	struct pending p = pending_new(w);
	struct dirty d = {&p, r, e};
	memset(st, 0, sizeof *st);
	int rc = vcs_dirty_each(r, dirty_file, &d, e);
	if (!rc) rc = load_pending(w, &p, st, e);
	pending_free(&p);
	return rc;
}

/* ---- the whole load ---- */

static int synced_base(struct ws *w, struct vcs *r, char base[41])
{
	char *synced = NULL;
	struct gs_err ignore;
	store_setting_get(w->st, "git.synced", &synced, &ignore);
	int have = synced && *synced && vcs_resolve(r, synced, base, &ignore) == 0;
	free(synced);
	return have;
}

int sync_load(struct ws *w, struct vcs *r, int worktree, struct sync_stats *st, struct gs_err *e)
{
	char head[41], base[41];
	struct gs_err ignore;
	memset(st, 0, sizeof *st);
	int have_head = vcs_resolve(r, "HEAD", head, &ignore) == 0, rc = 0;
	if (have_head) {
		int have_base = synced_base(w, r, base);
		if (!have_base || strcmp(base, head) != 0) rc = load_golden(w, r, have_base ? base : NULL, head, st, e);
		if (!rc) rc = ws_sync_rubrics(w, e);
		if (!rc) rc = load_at(w, r, head, st, e);
		if (!rc) rc = store_setting_set(w->st, "git.synced", head, e);
	}
	if (!rc && worktree) rc = load_worktree(w, r, st, e);
	return rc;
}

int sync_load_head(struct ws *w, struct gs_err *e)
{
	struct vcs *r;
	struct sync_stats st;
	if (vcs_open(w->root, &r, e)) return e->code;
	int rc = sync_load(w, r, 0, &st, e);
	vcs_close(r);
	return rc;
}

void sync_say_older(const struct sync_stats *st)
{
	if (!st->labels_older) return;
	char *f = text_escape(st->older_file);
	fprintf(stderr, "goldset: %lld label line%s in %s%s older than the store's label of the same key: "
		"kept the newer (to make a hand edit win, remove its \"at\")\n", st->labels_older,
		st->labels_older == 1 ? "" : "s", f, st->labels_older == 1 ? " was" : " and other files were");
	free(f);
}

/* ---- batches whose raters finished ---- */

struct share_ctx { struct ws *w; struct gs_err *e; int rc; };

static int share_batch(void *ctx, const struct store_batch *b)
{
	struct share_ctx *c = ctx;
	char **raters = NULL;
	long long items = 0;
	char *rubric = NULL;
	int member = 0;
	c->rc = store_batch_raters(c->w->st, b->name, &raters, c->e);
	if (!c->rc) c->rc = store_batch_get(c->w->st, b->name, NULL, &rubric, &member, &items, c->e);
	for (size_t i = 0; !c->rc && raters && raters[i]; i++) {
		long long done = 0;
		c->rc = store_batch_done(c->w->st, b->name, raters[i], &done, c->e);
		if (!c->rc && items && done >= items) c->rc = store_batch_share(c->w->st, b->name, raters[i], c->e);
	}
	free(rubric);
	strv_free(raters);
	return c->rc;
}

int sync_share_finished(struct ws *w, struct gs_err *e)
{
	struct share_ctx c = {w, e, 0};
	int rc = store_batches_each(w->st, NULL, share_batch, &c, e);
	return rc ? rc : c.rc;
}

/* ---- the merge rule, for vcs_pull ---- */

static int merge_files(void *ctx, const char *path, const char *ours, size_t olen, const char *theirs, size_t tlen,
		       char **out, size_t *outlen, struct gs_err *e)
{
	struct sbuf b = {0};
	(void)ctx;
	int rc = lww_merge(path, ours, olen, theirs, tlen, &b, e);
	*outlen = b.len;
	*out = sb_take(&b);
	return rc;
}

const struct vcs_merger sync_merger = {lww_is_shared, merge_files, NULL};
