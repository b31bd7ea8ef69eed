/* rebuild.c: `goldset init --rebuild`. A store that cannot be trusted is
 * moved aside (.goldset/goldset.db.broken-TIMESTAMP, with its -wal and
 * -shm: never deleted), a new store is loaded from the workspace's files
 * (ws_init and sync_load_head, as `init` does in a clone), and every row
 * the old file still gives that the files do not hold is read back in
 * (store_salvage). It then says in one line each what it recovered and
 * what it could not. */
#include "app/workspace.h"
#include "app/rebuild.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/sync.h"

#define STORE_REL ".goldset/goldset.db"

static const char *const sidecars[] = {"", "-wal", "-shm"};

/* .goldset/goldset.db.broken-20261122T103107Z, or with -2, -3 ... when taken */
static char *broken_rel(struct ws *w)
{
	char now[32], stamp[32];
	size_t n = 0;
	now_iso8601(now);
	for (const char *p = now; *p && n < sizeof stamp - 1; p++)
		if (*p != '-' && *p != ':') stamp[n++] = *p;
	stamp[n] = 0;
	for (int k = 1;; k++) {
		char *rel = k == 1 ? xasprintf("%s.broken-%s", STORE_REL, stamp) : xasprintf("%s.broken-%s-%d", STORE_REL, stamp, k);
		char *path = ws_path(w, rel);
		int taken = path_exists(path);
		free(path);
		if (!taken) return rel;
		free(rel);
	}
}

/* renames from[-wal, -shm] to to[...]; the store file itself must move */
static int move_files(struct ws *w, const char *from_rel, const char *to_rel, struct gs_err *e)
{
	for (size_t i = 0; i < ARRAY_LEN(sidecars); i++) {
		char *a = xasprintf("%s/%s%s", w->root, from_rel, sidecars[i]);
		char *b = xasprintf("%s/%s%s", w->root, to_rel, sidecars[i]);
		int rc = rename(a, b) == 0 || (i > 0 && errno == ENOENT) ? 0 : gs_fail(e, EX_CANTCREAT, "%s: cannot move it to %s: %s", a, b, strerror(errno));
		free(a);
		free(b);
		if (rc) return rc;
	}
	return 0;
}

/* after a failed rebuild (the new store closed): the new store goes, the
 * old file comes back */
static void put_back(struct ws *at, const char *broken)
{
	struct gs_err ignore;
	for (size_t i = 0; i < ARRAY_LEN(sidecars); i++) {
		char *p = xasprintf("%s/%s%s", at->root, STORE_REL, sidecars[i]);
		unlink(p);
		free(p);
	}
	move_files(at, broken, STORE_REL, &ignore);
}

static int add_count(void *ctx, const struct store_label_count *c)
{
	*(long long *)ctx += c->labels;
	return 0;
}

static void say_loaded(struct ws *w)
{
	long long items = 0, labels = 0;
	struct gs_err ignore;
	store_item_count(w->st, NULL, &items, &ignore);
	store_label_counts_each(w->st, add_count, &labels, &ignore);
	printf("new store loaded from golden/, rubrics/ and labels/: %lld item%s, %lld current label%s\n", items,
	       gs_s(items), labels, gs_s(labels));
}

/* "marks 3, batches 1" for the other tables that gave rows */
static void tables_copied(const struct store_salvage *r, struct sbuf *b)
{
	for (size_t i = 0; i < ARRAY_LEN(r->tables); i++)
		if (r->tables[i].name && r->tables[i].rows)
			sb_addf(b, ", %s %lld", r->tables[i].name, r->tables[i].rows);
}

static void say_recovered(const struct store_salvage *r)
{
	struct sbuf b = {0};
	sb_addf(&b, "recovered from the old store: %lld label row%s that labels/ does not hold (%lld label%s current "
		"from them), %lld already in labels/", r->labels.rows, gs_s(r->labels.rows), r->labels_current,
		gs_s(r->labels_current), r->labels_in_files);
	if (r->labels_raw) sb_addf(&b, " (%lld of these read from its pages: %s)", r->labels_raw,
				   r->nothing ? r->nothing : "SQLite cannot read them all");
	if (r->item_versions) sb_addf(&b, ", %lld older item versions", r->item_versions);
	tables_copied(r, &b);
	printf("%s\n", b.p);
	sb_free(&b);
}

/* what one table could not give, if anything */
static void table_lost(const struct store_salvage_table *t, struct sbuf *b)
{
	const char *sep = b->len ? "; " : "";
	if (!t->name) return;
	if (t->unreadable || (t->tail_lost && !t->rows && !t->lost && !t->gaps))
		sb_addf(b, "%sthe rows of %s (the table cannot be read)", sep, t->name);
	else if (t->tail_lost && !t->lost)
		sb_addf(b, "%sthe rows of %s after the last readable one (how many is unknown)", sep, t->name);
	else if (t->lost || t->gaps || t->tail_lost)
		sb_addf(b, "%s%lld row%s of %s (unreadable pages)", sep, t->lost, gs_s(t->lost), t->name);
}

static void labels_lost(const struct store_salvage *r, struct sbuf *b)
{
	if (r->labels.lost) sb_addf(b, "%lld row%s of labels (unreadable pages)", r->labels.lost, gs_s(r->labels.lost));
	if (r->nothing || (r->labels.tail_lost && !r->labels.max_rowid))
		sb_addf(b, "%slabel rows after id %lld, if there were any", b->len ? "; " : "", r->labels_max_id);
	if (r->labels_no_item)
		sb_addf(b, "%s%lld label row%s on items golden/ no longer has", b->len ? "; " : "", r->labels_no_item,
			gs_s(r->labels_no_item));
}

static void say_lost(const struct store_salvage *r, const char *broken)
{
	struct sbuf b = {0};
	labels_lost(r, &b);
	if (r->nothing) sb_addf(&b, "; every row of its other tables (%s)", r->nothing);
	for (size_t i = 0; i < ARRAY_LEN(r->tables); i++) table_lost(&r->tables[i], &b);
	printf("could not recover: %s (the old file stays at %s)\n", b.len ? b.p : "nothing, every row was read", broken);
	sb_free(&b);
}

static void say_salvage(const struct store_salvage *r, const char *broken)
{
	if (r->nothing && !r->labels_raw) {
		printf("recovered from the old store: nothing (%s)\n", r->nothing);
		printf("could not recover: whatever it held that golden/, rubrics/ and labels/ do not (the old file stays at %s)\n",
		       broken);
		return;
	}
	say_recovered(r);
	say_lost(r, broken);
}

/* no store to move aside: `init` creates one */
static int rebuild_missing(const char *dir, struct ws *w, struct gs_err *e)
{
	int created;
	if (workspace_init(dir, w, &created, e)) return e->code;
	if (sync_load_head(w, e)) {
		ws_close(w);
		return e->code;
	}
	printf("no store to rebuild in %s: created one\n", w->root);
	say_loaded(w);
	return 0;
}

/* the new store, then what the old file gives; on failure nothing changed */
static int load_and_salvage(struct ws *at, const char *broken, struct ws *w, struct gs_err *e)
{
	int created;
	if (workspace_init(at->root, w, &created, e)) return e->code;
	if (sync_load_head(w, e)) {
		ws_close(w);
		return e->code;
	}
	say_loaded(w);
	struct store_salvage r;
	char *path = ws_path(at, broken);
	int rc = store_salvage(w->st, path, &r, e);
	free(path);
	if (rc) ws_close(w);
	else say_salvage(&r, broken);
	return rc;
}

int ws_rebuild(const char *dir, struct ws *w, struct gs_err *e)
{
	struct ws at = {NULL, NULL};
	struct gs_err none;
	if (ws_find_root(dir, &at.root, &none)) return rebuild_missing(dir, w, e);
	char *broken = broken_rel(&at);
	int rc = move_files(&at, STORE_REL, broken, e);
	if (!rc) printf("moved %s aside to %s (kept, not deleted)\n", STORE_REL, broken);
	if (!rc && (rc = load_and_salvage(&at, broken, w, e)) != 0) {
		put_back(&at, broken);
		gs_fail(e, rc, "%s (the old store is back in place)", e->msg);
	}
	free(broken);
	free(at.root);
	return rc;
}
