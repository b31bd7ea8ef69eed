/* sync.c: the working store kept in step with the files in git (see
 * sync.h).  The store is a cache of git plus the work not committed yet:
 * loading a revision takes in what the store has not seen of it (golden
 * sets that changed since the last revision loaded, rubrics, and every
 * shared file whose content the store has not absorbed yet), last writer
 * wins per key, so loading is idempotent and never brings an older value
 * back.  Which file contents were absorbed is remembered by blob id (the
 * setting "synced:PATH"), in the same transaction as the labels, so that a
 * command killed at any moment leaves a state the next load completes. */
#include "sync.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "labelsat.h"
#include "lwwmerge.h"

/* ---- golden sets changed since the last revision loaded ---- */

struct changes { char **path; char *status; size_t n; };

static int collect_change(const struct vcs_change *c, void *arg)
{
	struct changes *ch = arg;
	ch->path = xrealloc(ch->path, (ch->n + 1) * sizeof *ch->path);
	ch->status = xrealloc(ch->status, ch->n + 1);
	ch->path[ch->n] = xstrdup(c->path);
	ch->status[ch->n++] = c->status;
	return 0;
}

static void changes_free(struct changes *ch)
{
	for (size_t i = 0; i < ch->n; i++) free(ch->path[i]);
	free(ch->path);
	free(ch->status);
	memset(ch, 0, sizeof *ch);
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
	struct changes ch = {0};
	char **files = NULL;
	size_t n = 0;
	int rc = vcs_changed_files(r, old_rev, new_rev, "golden/", collect_change, &ch, e);
	for (size_t i = 0; !rc && i < ch.n; i++) {
		if (ch.status[i] == 'D' || !golden_name(ch.path[i])) continue;
		char *full = ws_path(w, ch.path[i]);
		if (!path_exists(full)) {
			free(full);
			continue;
		}
		files = xrealloc(files, (n + 1) * sizeof *files);
		files[n++] = full;
	}
	struct import_opts o = {0};
	struct import_stats is = {0};
	if (!rc && n) rc = ingest_items(w, files, n, &o, &is, e);
	st->items_added += is.added;
	st->items_changed += is.changed;
	st->golden_files += n;
	for (size_t i = 0; i < n; i++) free(files[i]);
	free(files);
	changes_free(&ch);
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

struct blob { char *rel; char hex[41]; };
struct blobs { struct blob *v; size_t n; };

static void blobs_push(struct blobs *b, const char *rel, const char *hex)
{
	b->v = xrealloc(b->v, (b->n + 1) * sizeof *b->v);
	b->v[b->n].rel = xstrdup(rel);
	snprintf(b->v[b->n++].hex, 41, "%s", hex);
}

static void blobs_free(struct blobs *b)
{
	for (size_t i = 0; i < b->n; i++) free(b->v[i].rel);
	free(b->v);
	memset(b, 0, sizeof *b);
}

struct pending { struct ws *w; struct blobs b; };

static int label_file(const char *rel)
{
	char *rubric, *rater;
	if (!labelsat_path(rel, &rubric, &rater)) return 0;
	free(rubric);
	free(rater);
	return 1;
}

static int collect_new(const char *path, const char *blob_hex, void *arg)
{
	struct pending *p = arg;
	if (label_file(path) && !absorbed(p->w, path, blob_hex)) blobs_push(&p->b, path, blob_hex);
	return 0;
}

/* loads texts[i] of files b into the store, one transaction */
static int load_label_texts(struct ws *w, const struct blobs *b, char **texts, size_t *lens, struct sync_stats *st,
			    struct gs_err *e)
{
	struct label_load *L;
	struct label_stats ls;
	if (!b->n) return 0;
	int rc = ingest_label_load_open(w, "pull", &L, e);
	if (rc) return rc;
	for (size_t i = 0; i < b->n && !rc; i++) {
		long long older = ingest_label_load_older(L);
		rc = ingest_label_load_text(L, b->v[i].rel, b->v[i].rel, texts[i], lens[i], e);
		if (!rc && ingest_label_load_older(L) > older && !st->older_file[0])
			snprintf(st->older_file, sizeof st->older_file, "%s", b->v[i].rel);
		if (!rc) rc = sync_mark_absorbed(w, b->v[i].rel, b->v[i].hex, e);
	}
	rc = ingest_label_load_close(L, rc == 0, &ls, e) ? e->code : rc;
	if (!rc) {
		st->labels_added += ls.added;
		st->labels_older += ls.older;
		st->label_files += b->n;
	}
	return rc;
}

/* label files at rev whose content the store has not absorbed */
static int load_labels_at(struct ws *w, struct vcs *r, const char *rev, struct sync_stats *st, struct gs_err *e)
{
	struct pending p = {w, {0}};
	int rc = vcs_list_files_at(r, rev, "labels/", collect_new, &p, e);
	char **texts = xcalloc(p.b.n + 1, sizeof *texts);
	size_t *lens = xcalloc(p.b.n + 1, sizeof *lens);
	for (size_t i = 0; i < p.b.n && !rc; i++) rc = vcs_read_file_at(r, rev, p.b.v[i].rel, &texts[i], &lens[i], e);
	if (!rc) rc = load_label_texts(w, &p.b, texts, lens, st, e);
	for (size_t i = 0; i < p.b.n; i++) free(texts[i]);
	free(texts);
	free(lens);
	blobs_free(&p.b);
	return rc;
}

/* label files of the working tree (edited by hand, or left by a git merge)
 * whose content the store has not absorbed */
static int load_labels_worktree(struct ws *w, struct vcs *r, struct sync_stats *st, struct gs_err *e)
{
	char *dir = ws_path(w, "labels");
	struct dirent **rub = NULL;
	struct blobs b = {0};
	char **texts = NULL;
	size_t *lens = NULL;
	int k = is_dir(dir) ? scandir(dir, &rub, NULL, alphasort) : 0, rc = 0;
	for (int i = 0; i < k; i++) {
		struct dirent **names = NULL;
		char *sub = path_join(dir, rub[i]->d_name);
		int m = rub[i]->d_name[0] != '.' && is_dir(sub) ? scandir(sub, &names, NULL, alphasort) : 0;
		for (int j = 0; j < m; j++) {
			char *rel = xasprintf("labels/%s/%s", rub[i]->d_name, names[j]->d_name), *full = ws_path(w, rel);
			char *text = NULL, hex[41];
			size_t len = 0;
			if (!rc && label_file(rel) && (rc = read_file(full, &text, &len, e)) == 0) {
				vcs_hash_blob(r, text, len, hex);
				if (!absorbed(w, rel, hex)) {
					blobs_push(&b, rel, hex);
					texts = xrealloc(texts, b.n * sizeof *texts);
					lens = xrealloc(lens, b.n * sizeof *lens);
					texts[b.n - 1] = text;
					lens[b.n - 1] = len;
					text = NULL;
				}
			}
			free(text);
			free(full);
			free(rel);
			free(names[j]);
		}
		free(names);
		free(sub);
		free(rub[i]);
	}
	free(rub);
	free(dir);
	if (!rc) rc = load_label_texts(w, &b, texts, lens, st, e);
	for (size_t i = 0; i < b.n; i++) free(texts[i]);
	free(texts);
	free(lens);
	blobs_free(&b);
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
		if (!rc) rc = load_labels_at(w, r, head, st, e);
		if (!rc) rc = store_setting_set(w->st, "git.synced", head, e);
	}
	if (!rc && worktree) rc = load_labels_worktree(w, r, st, e);
	return rc;
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
