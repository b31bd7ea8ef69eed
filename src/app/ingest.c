/* ingest.c: loading files into the store, each call one transaction so an
 * import happens whole or not at all.
 *
 * Items: a JSONL file is streamed line by line (memory does not grow with
 * the file), every line validated into its canonical form and put into the
 * store (new, new version, or unchanged). The sets it touched are then
 * written back to golden/SET.jsonl (sorted by id) through temporary files
 * that are renamed only once the store has committed. --sample reads the
 * file twice: once to validate and choose, once to import the chosen lines.
 *
 * Labels: label lines (labelline.h) are validated against their rubric and
 * item, and appended unless the rater's current label is already the same,
 * which makes loading the same files twice (init, pull) a no-op. */
#include "app/ingest.h"
#include "app/ws.h"

#include <dirent.h>
#include <errno.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/jsoncheck.h"
#include "model/labelline.h"
#include "model/lwwmerge.h"

/* ---- helpers ---- */

static char *base_name_noext(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	const char *dot = strrchr(b, '.');
	return xstrndup(b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
}

static int under_dir(const char *path, const char *dir)
{
	char *rp = realpath(path, NULL), *rd = realpath(dir, NULL);
	int yes = rp && rd && strncmp(rp, rd, strlen(rd)) == 0 && rp[strlen(rd)] == '/';
	free(rp);
	free(rd);
	return yes;
}

static int valid_set_name(const char *s)
{
	char why[96];
	if (!*s || *s == '.' || strlen(s) > 100 || jsoncheck_name(s, strlen(s), why)) return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p == '/' || *p < 0x20 || *p == 0x7f) return 0;
	return 1;
}

static void progress(const struct line_reader *r, long long total, int *last)
{
	if (total <= 0) return;
	int pct = (int)(r->bytes * 100 / total);
	if (pct == *last) return;
	*last = pct;
	char bar[41];
	int fill = pct * 40 / 100;
	for (int i = 0; i < 40; i++) bar[i] = i < fill ? '#' : '.';
	bar[40] = 0;
	fprintf(stderr, "\rimporting [%s] %3d%%", bar, pct);
	if (pct == 100) fputc('\n', stderr);
}

/* ---- sampling ---- */

struct cand { size_t stratum; uint64_t key; long line; };
/* the strata in order of first sight: value -> index + 1, and each one's count */
struct strata { GHashTable *index1; GArray *count; };

static size_t stratum_of(struct strata *s, const char *v)
{
	guint i1 = GPOINTER_TO_UINT(g_hash_table_lookup(s->index1, v));
	if (!i1) {
		long long none = 0;
		g_array_append_val(s->count, none);
		i1 = s->count->len;
		g_hash_table_insert(s->index1, xstrdup(v), GUINT_TO_POINTER(i1));
	}
	return i1 - 1;
}

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (x->stratum != y->stratum) return x->stratum < y->stratum ? -1 : 1;
	if (x->key != y->key) return x->key < y->key ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

static int long_cmp(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

/* proportional quotas by largest remainder; returns quota per stratum */
static long long *quotas(const struct strata *s, long long total, long sample)
{
	size_t n = s->count->len;
	long long *q = xcalloc(n, sizeof *q);
	double *rem = xcalloc(n, sizeof *rem);
	long long given = 0;
	for (size_t i = 0; i < n; i++) {
		double exact = (double)sample * (double)g_array_index(s->count, long long, i) / (double)total;
		q[i] = (long long)exact;
		rem[i] = exact - (double)q[i];
		given += q[i];
	}
	while (given < sample) {
		size_t best = 0;
		for (size_t i = 1; i < n; i++)
			if (rem[i] > rem[best]) best = i;
		q[best]++;
		rem[best] = -1;
		given++;
	}
	free(rem);
	return q;
}

/* pass 1 of --sample: validates every line and chooses which to import */
static int choose_lines(const char *file, const struct import_opts *o, long **chosen, size_t *nchosen,
			struct gs_err *e)
{
	struct line_reader r;
	if (line_reader_open(&r, file, e)) return e->code;
	struct strata s = {g_hash_table_new_full(gs_str_hash, gs_str_equal, free, NULL),
			   g_array_new(FALSE, FALSE, sizeof(long long))};
	GArray *cands = g_array_new(FALSE, FALSE, sizeof(struct cand));
	const char *line;
	size_t len;
	int rc;
	const char *key = o->stratify && strncmp(o->stratify, "meta.", 5) == 0 ? o->stratify + 5 : o->stratify;
	while ((rc = line_reader_next(&r, &line, &len, e)) == 1) {
		if (strspn(line, " \t") == len) continue;
		char *canon;
		struct item it;
		if (item_parse_line(line, len, file, r.lineno, o->map, &canon, &it, e)) {
			rc = e->code;
			break;
		}
		const char *v = key ? item_meta(&it, key) : NULL;
		struct cand c = {stratum_of(&s, v ? v : "(none)"), gs_hash64(it.id, strlen(it.id), o->seed), r.lineno};
		g_array_append_val(cands, c);
		g_array_index(s.count, long long, c.stratum)++;
		free(canon);
		item_free(&it);
	}
	line_reader_close(&r);
	if (rc == 0) {
		struct cand *c = (struct cand *)(void *)cands->data;
		size_t n = cands->len;
		g_array_sort(cands, cand_cmp);
		long long *q = quotas(&s, (long long)n, o->sample < (long)n ? o->sample : (long)n);
		*chosen = xcalloc(n + 1, sizeof **chosen);
		*nchosen = 0;
		for (size_t i = 0, taken = 0; i < n; i++) {
			if (i && c[i].stratum != c[i - 1].stratum) taken = 0;
			if ((long long)taken++ < q[c[i].stratum]) (*chosen)[(*nchosen)++] = c[i].line;
		}
		if (*nchosen > 1) qsort(*chosen, *nchosen, sizeof **chosen, long_cmp);
		free(q);
	}
	g_hash_table_destroy(s.index1);
	g_array_free(s.count, TRUE);
	g_array_free(cands, TRUE);
	return rc;
}

/* ---- items ---- */

/* The sets an import writes to: a GPtrArray of names (owned) */
static GPtrArray *touched_new(void) { return g_ptr_array_new_with_free_func(free); }

static void touch(GPtrArray *t, const char *set)
{
	if (!g_ptr_array_find_with_equal_func(t, set, gs_str_equal, NULL)) g_ptr_array_add(t, xstrdup(set));
}

static const char *touched_set(const GPtrArray *t, size_t i) { return g_ptr_array_index(t, i); }

/* The ids one import has seen, to refuse a duplicate: a GHashTable used as
 * a set of 64-bit fingerprints (XXH3), each one the key pointer itself, so
 * that an id costs no more than its slot (a false "duplicate" needs a
 * 64-bit collision, about 3 in 10^8 for a million ids, and only refuses the
 * import). In memory rather than in a temporary table, whose writes cost
 * more than the whole check. Where a pointer cannot hold 64 bits the set
 * keeps copies of the ids instead. */
#if GLIB_SIZEOF_VOID_P >= 8
static GHashTable *idset_new(void) { return g_hash_table_new(g_direct_hash, g_direct_equal); }
static gpointer id_key(const char *id) { return (gpointer)(guintptr)gs_hash64(id, strlen(id), 0); }
#else
static GHashTable *idset_new(void) { return g_hash_table_new_full(gs_str_hash, gs_str_equal, free, NULL); }
static gpointer id_key(const char *id) { return xstrdup(id); }
#endif

static int idset_add(GHashTable *seen, const char *id)   /* 1 if id was there already */
{
	return !g_hash_table_add(seen, id_key(id));
}

static int put_line(struct ws *w, const char *set, const char *line, size_t len, const char *file, long lineno,
		    const struct item_map *map, GHashTable *seen, struct import_stats *st, struct gs_err *e)
{
	char *canon;
	struct item it;
	if (item_parse_line(line, len, file, lineno, map, &canon, &it, e)) return e->code;
	char hash[33];
	content_hash(canon, strlen(canon), hash);
	struct store_item si = {0};
	si.ext_id = it.id;
	si.set = set;
	si.hash = hash;
	si.kind = it.noutputs ? "pairwise" : "single";
	si.json = canon;
	si.meta = it.meta_json;
	si.has_gold = it.gold_json != NULL;
	si.ord = lineno;
	si.out_len = item_output_len(&it);
	int outcome = 0, rc = 0;
	if (idset_add(seen, it.id)) rc = gs_fail(e, EX_DATAERR, "%s:%ld: duplicate id \"%s\" (id)", file, lineno, it.id);
	/* a data error is the line's fault; a full disk or a busy store is not */
	if (!rc && (rc = store_item_put(w->st, &si, &outcome, e)) == EX_DATAERR)
		gs_fail(e, rc, "%s:%ld: %s", file, lineno, e->msg);
	if (!rc) {
		st->added += outcome == STORE_ADDED;
		st->changed += outcome == STORE_CHANGED;
		st->unchanged += outcome == STORE_UNCHANGED;
	}
	free(canon);
	item_free(&it);
	return rc;
}

/* an error about a preset's record (reported as FILE ":0: ...") at the record's own line */
static int rec_fail(struct gs_err *e, const char *file, const char *text, size_t len, const struct preset_rec *r)
{
	char where[600];
	preset_rec_where(r, file, text, len, where, sizeof where);
	char *m = xasprintf("%s:%s", where, strncmp(e->msg, ":0:", 3) == 0 ? e->msg + 3 : e->msg);
	gs_fail(e, e->code, "%s", m);
	free(m);
	return e->code;
}

/* --from: the file read whole, its records as item lines */
static int import_preset_file(struct ws *w, const char *file, const char *set, const struct import_opts *o,
			      GHashTable *seen, struct import_stats *st, struct gs_err *e)
{
	char *text = NULL;
	size_t len = 0;
	GPtrArray *recs = preset_recs_new();
	int rc = read_file(file, &text, &len, e);
	if (!rc) rc = preset_items(o->from, file, text, len, recs, e);
	for (guint i = 0; !rc && i < recs->len; i++) {
		const struct preset_rec *r = g_ptr_array_index(recs, i);
		st->lines++;
		if ((rc = put_line(w, set, r->json, strlen(r->json), "", 0, NULL, seen, st, e)))
			rec_fail(e, file, text, len, r);
	}
	g_ptr_array_free(recs, TRUE);
	free(text);
	return rc;
}

static int import_file(struct ws *w, const char *file, const char *set, const struct import_opts *o,
		       GHashTable *seen, struct import_stats *st, struct gs_err *e)
{
	if (o->from != PRESET_JSONL) return import_preset_file(w, file, set, o, seen, st, e);
	long *chosen = NULL;
	size_t nchosen = 0, next = 0;
	if (o->sample > 0 && choose_lines(file, o, &chosen, &nchosen, e)) return e->code;
	struct line_reader r;
	if (line_reader_open(&r, file, e)) {
		free(chosen);
		return e->code;
	}
	struct stat sb;
	long long total = o->progress && stat(file, &sb) == 0 && sb.st_size > (1 << 20) ? (long long)sb.st_size : 0;
	int last = -1, rc;
	const char *line;
	size_t len;
	while ((rc = line_reader_next(&r, &line, &len, e)) == 1) {
		progress(&r, total, &last);
		if (strspn(line, " \t") == len) continue;
		if (chosen) {
			while (next < nchosen && chosen[next] < r.lineno) next++;
			if (next >= nchosen || chosen[next] != r.lineno) continue;
		}
		st->lines++;
		if ((rc = put_line(w, set, line, len, file, r.lineno, o->map, seen, st, e)) != 0) {
			if (r.no_newline && strstr(e->msg, "invalid JSON"))
				gs_fail(e, EX_DATAERR, "%s:%ld: truncated last line (invalid JSON and no final newline)",
					file, r.lineno);
			break;
		}
	}
	if (total && last != 100 && rc == 0) fputc('\n', stderr);
	line_reader_close(&r);
	free(chosen);
	return rc;
}

struct golden_out { FILE *f; };

static int write_item(void *ctx, const struct store_item *it)
{
	struct golden_out *g = ctx;
	fputs(it->json, g->f);
	fputc('\n', g->f);
	return 0;
}

/* golden/SET.jsonl, or (tmp) its next version, written under
 * .goldset/golden-next/ so that no half-written file ever stands in golden/ */
static char *golden_path(struct ws *w, const char *set, int tmp)
{
	char *rel = tmp ? xasprintf(".goldset/golden-next/%s.jsonl", set) : xasprintf("golden/%s.jsonl", set);
	char *path = ws_path(w, rel);
	free(rel);
	if (tmp) {
		char *dir = ws_path(w, ".goldset/golden-next");
		mkdir_p(dir);
		free(dir);
	}
	return path;
}

/* .goldset/golden.lock is held from writing the pending list until every
 * rename is done, so that no other process repairs (or lists) in between */
static int golden_lock(struct ws *w, int wait)
{
	char *path = ws_path(w, ".goldset/golden.lock");
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	free(path);
	if (fd < 0) return -1;
	if (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void golden_unlock(int fd)
{
	if (fd >= 0) close(fd);
}

/* writes golden/SET.jsonl.tmp from the store, in id order */
static int write_golden_tmp(struct ws *w, const char *set, struct gs_err *e)
{
	char *path = golden_path(w, set, 1);
	if (path_nolinks(path, e)) {
		free(path);
		return e->code;
	}
	struct golden_out g = {fopen(path, "w")};
	if (!g.f) {
		gs_fail(e, EX_CANTCREAT, "%s: %s", path, strerror(errno));
		free(path);
		return EX_CANTCREAT;
	}
	struct store_item_query q = {.set = set, .by_id = 1};
	int rc = store_items_each(w->st, &q, write_item, &g, e);
	if (!rc && (fflush(g.f) != 0 || fsync(fileno(g.f)) != 0 || ferror(g.f)))
		rc = gs_fail(e, EX_IOERR, "%s: %s", path, strerror(errno));
	if (fclose(g.f) != 0 && !rc) rc = gs_fail(e, EX_IOERR, "%s: %s", path, strerror(errno));
	if (rc) unlink(path);
	free(path);
	return rc;
}

/* a golden file that cannot be replaced by a rename (a folder, say) is
 * refused before anything is committed */
static int golden_target_ok(struct ws *w, const char *set, struct gs_err *e)
{
	char *path = golden_path(w, set, 0);
	struct stat sb;
	int rc = path_nolinks(path, e);
	if (!rc && lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
		rc = gs_fail(e, EX_CANTCREAT, "%s: exists and is not a regular file; nothing imported", path);
	free(path);
	return rc;
}

/* .goldset/golden-pending names the sets whose golden files are being
 * replaced. It is written before the store commits and removed once every
 * rename is done; if goldset dies in between, the next command rewrites
 * those files from the store (ingest_repair_golden), so golden/ always ends
 * up matching what the store committed. */
static int pending_write(struct ws *w, const GPtrArray *t, struct gs_err *e)
{
	struct sbuf b = {0};
	for (size_t i = 0; i < t->len; i++) sb_addf(&b, "%s\n", touched_set(t, i));
	char *path = ws_path(w, ".goldset/golden-pending");
	int rc = write_file_atomic(path, b.p ? b.p : "", b.len, e);
	free(path);
	sb_free(&b);
	return rc;
}

static void pending_clear(struct ws *w)
{
	char *path = ws_path(w, ".goldset/golden-pending");
	unlink(path);
	free(path);
}

/* renames the temporary golden files into place (or removes them) */
static int golden_install(struct ws *w, const GPtrArray *t, int commit, struct gs_err *e)
{
	int rc = 0;
	for (size_t i = 0; i < t->len; i++) {
		char *path = golden_path(w, touched_set(t, i), 0), *tmp = golden_path(w, touched_set(t, i), 1);
		if (!commit || rc) unlink(tmp);
		else if (rename(tmp, path) != 0)
			rc = gs_fail(e, EX_IOERR, "%s: %s (the store has the import; the next goldset command writes this file again)",
				     path, strerror(errno));
		free(path);
		free(tmp);
	}
	return rc;
}

static int import_all(struct ws *w, char *const *files, size_t nfiles, const struct import_opts *o,
		      struct import_stats *st, GPtrArray *t, struct gs_err *e)
{
	char *golden = ws_path(w, "golden");
	GHashTable *seen = idset_new();
	int rc = 0;
	for (size_t i = 0; i < nfiles && !rc; i++) {
		int in_golden = under_dir(files[i], golden);
		char *set = in_golden || !o->set ? base_name_noext(files[i]) : xstrdup(o->set);
		if (!valid_set_name(set))
			rc = gs_fail(e, EX_USAGE, "\"%s\" cannot be a set name (no '/', control characters or leading '.')",
				     set);
		else
			rc = import_file(w, files[i], set, o, seen, st, e);
		if (!rc && !in_golden && o->write_golden) touch(t, set);
		free(set);
	}
	g_hash_table_destroy(seen);
	free(golden);
	return rc;
}

int ingest_items(struct ws *w, char *const *files, size_t nfiles, const struct import_opts *o,
		 struct import_stats *st, struct gs_err *e)
{
	memset(st, 0, sizeof *st);
	int rc = store_begin(w->st, e);
	if (rc) return rc;
	GPtrArray *t = touched_new();
	rc = store_bulk_begin(w->st, e);
	if (!rc) rc = import_all(w, files, nfiles, o, st, t, e);
	if (!rc) rc = store_bulk_end(w->st, e);
	for (size_t i = 0; i < t->len && !rc; i++) rc = golden_target_ok(w, touched_set(t, i), e);
	int lock = -1;
	if (!rc && t->len && (lock = golden_lock(w, 1)) < 0)
		rc = gs_fail(e, EX_CANTCREAT, "%s/.goldset/golden.lock: %s", w->root, strerror(errno));
	if (!rc && t->len) rc = pending_write(w, t, e);
	for (size_t i = 0; i < t->len && !rc; i++) rc = write_golden_tmp(w, touched_set(t, i), e);
	if (rc) store_rollback(w->st);
	else rc = store_commit(w->st, e);
	int installed = golden_install(w, t, rc == 0, rc ? NULL : e);
	if (!rc) rc = installed;
	/* the pending list stays only when files failed to move after the commit:
	 * the next command rewrites them from the store */
	if (lock >= 0 && installed == 0) pending_clear(w);
	golden_unlock(lock);
	g_ptr_array_free(t, TRUE);
	return rc;
}

static int repair_pending(struct ws *w, struct gs_err *e);

int ingest_repair_golden(struct ws *w, struct gs_err *e)
{
	char *path = ws_path(w, ".goldset/golden-pending");
	int pending = path_exists(path);
	free(path);
	if (!pending) return 0;
	int lock = golden_lock(w, 0);
	if (lock < 0) return 0;   /* an import is finishing right now: it installs its own files */
	int rc = repair_pending(w, e);
	golden_unlock(lock);
	return rc;
}

static int repair_pending(struct ws *w, struct gs_err *e)
{
	char *path = ws_path(w, ".goldset/golden-pending");
	char *text = NULL;
	struct gs_err ignore;
	int have = read_file(path, &text, NULL, &ignore) == 0;
	free(path);
	if (!have) return 0;
	GPtrArray *t = touched_new();
	char **sets = split_list(text, '\n');
	int rc = 0;
	for (char **p = sets; *p && !rc; p++) {
		long long n = 0;
		rc = store_item_count(w->st, *p, &n, e);
		if (!rc && n) {
			touch(t, *p);
			rc = write_golden_tmp(w, *p, e);
		} else if (!rc) {
			char *tmp = golden_path(w, *p, 1);
			unlink(tmp);
			free(tmp);
		}
	}
	if (!rc) rc = golden_install(w, t, 1, e);
	else golden_install(w, t, 0, NULL);
	if (!rc) pending_clear(w);
	strv_free(sets);
	free(text);
	g_ptr_array_free(t, TRUE);
	return rc;
}

/* adds the paths of dir's *.jsonl files, by name, to files (owned) */
static void golden_list(const char *dir, GPtrArray *files)
{
	struct dirent **names = NULL;
	int k = scandir(dir, &names, NULL, alphasort);
	for (int i = 0; i < k; i++) {
		const char *d = names[i]->d_name;
		size_t len = strlen(d);
		if (d[0] != '.' && len > 6 && strcmp(d + len - 6, ".jsonl") == 0) g_ptr_array_add(files, path_join(dir, d));
		free(names[i]);
	}
	free(names);
}

int ingest_golden_tree(struct ws *w, struct import_stats *st, struct gs_err *e)
{
	char *dir = ws_path(w, "golden");
	GPtrArray *files = g_ptr_array_new_with_free_func(free);
	golden_list(dir, files);
	struct import_opts o = {0};
	int rc = files->len ? ingest_items(w, (char *const *)files->pdata, files->len, &o, st, e) : 0;
	if (!files->len) memset(st, 0, sizeof *st);
	g_ptr_array_free(files, TRUE);
	free(dir);
	return rc;
}

/* ---- labels ---- */

struct rcache { struct rubric *r[16]; size_t n; };

static struct rubric *rubric_cached(struct ws *w, struct rcache *c, const char *name, struct gs_err *e)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->r[i]->name, name) == 0) return c->r[i];
	struct rubric *r;
	if (ws_rubric(w, name, NULL, &r, e)) return NULL;
	if (c->n == ARRAY_LEN(c->r)) rubric_free(c->r[--c->n]);
	c->r[c->n++] = r;
	return r;
}

static int valid_rater(const char *s)
{
	char why[96];
	return s && !jsoncheck_name(s, strlen(s), why);
}

struct lctx {
	struct ws *w;
	struct rcache rc;
	const char *rater, *rubric, *source;
	int replica;                      /* lines of a label file in git: their time is the decision's */
	char *path_rater, *path_rubric;   /* from labels/RUBRIC/RATER.jsonl */
	char *default_rubric[2];          /* the workspace's default single and pairwise rubric, once asked */
	struct label_stats st;
	int64_t newest;                   /* the newest label time loaded */
};

/* 1 when sys is the system of one of the item's outputs */
static int has_system(const struct item *it, const char *sys)
{
	for (size_t i = 0; i < it->noutputs; i++)
		if (strcmp(it->outputs[i].system, sys) == 0) return 1;
	return 0;
}

static int check_systems(const struct store_item *si, const struct label_line *ll, const char *where,
			 struct gs_err *e)
{
	struct item it;
	if (item_from_canon(si->json, &it, e)) return e->code;
	int l = ll->left && has_system(&it, ll->left), r = ll->right && has_system(&it, ll->right);
	int s = ll->system && has_system(&it, ll->system);
	item_free(&it);
	if (ll->system && !s)
		return gs_fail(e, EX_DATAERR, "%s: item \"%s\" has no output of system \"%s\" (system)", where, ll->id,
			       ll->system);
	if (!ll->system && (!l || !r || strcmp(ll->left, ll->right) == 0))
		return gs_fail(e, EX_DATAERR, "%s: left and right must be two different systems of item \"%s\" (%s)",
			       where, ll->id, !l ? "left" : "right");
	return 0;
}

static int same_text(const char *a, const char *b)
{
	if (!a || !b) return a == b;
	return strcmp(a, b) == 0;
}

static int same_label(const struct store_label *cur, const struct store_label *l)
{
	const char *a = cur->note ? cur->note : "", *b = l->note ? l->note : "";
	return same_text(cur->vals, l->vals) && strcmp(a, b) == 0 && same_text(cur->batch, l->batch);
}

/* last writer wins: 1 when l (with its time) beats the current label cur */
static int beats(const struct store_label *l, const struct store_label *cur)
{
	int64_t a = gs_at_ms(l->at), b = gs_at_ms(cur->at);
	if (a != b) return a > b;
	char *x = labelline_format(l), *y = labelline_format(cur);
	int win = lww_newer(a, x, strlen(x), b, y, strlen(y));
	free(x);
	free(y);
	return win;
}

/* appends l unless the current label is the same or newer */
static int put_row(struct lctx *c, struct store_label *l, struct gs_err *e)
{
	struct store_label cur;
	struct gs_err ignore;
	int have = store_label_current(c->w->st, l->rubric, l->ext_id, l->rater, l->pair_key, &cur, &ignore) == 0;
	int newer = !have || !l->at || beats(l, &cur);
	/* a replica takes the newer time of the same values too, so that every
	 * machine writes the same line */
	int same = have && same_label(&cur, l) && !(c->replica && newer), older = have && !same && !newer;
	if (have) store_label_free(&cur);
	if (same || (!have && !l->vals && !c->replica)) {
		c->st.unchanged++;
		return 0;
	}
	if (older) {
		c->st.older++;
		return 0;
	}
	long long id;
	int rc = store_label_add(c->w->st, l, &id, e);
	c->st.added += rc == 0;
	if (!rc && c->replica && l->batch)
		rc = store_batch_share(c->w->st, l->batch, l->rater, e);
	return rc;
}

/* the rubric of a line that names none, as `label` would pick it (the one
 * used last, else the only one of the line's mode), or NULL */
static const char *default_rubric(struct lctx *c, int pairwise, struct gs_err *e)
{
	if (!c->default_rubric[pairwise]) {
		struct rubric *r;
		if (ws_rubric(c->w, NULL, pairwise ? "pairwise" : "single", &r, e)) return NULL;
		c->default_rubric[pairwise] = xstrdup(r->name);
		rubric_free(r);
	}
	return c->default_rubric[pairwise];
}

static int put_label(struct lctx *c, struct label_line *ll, const char *where, struct gs_err *e)
{
	const char *rubric_name = c->rubric ? c->rubric : ll->rubric ? ll->rubric : c->path_rubric;
	const char *rater = c->rater ? c->rater : ll->rater ? ll->rater : c->path_rater;
	if (!rubric_name && !(rubric_name = default_rubric(c, ll->left || ll->right, e)))
		return gs_fail(e, EX_DATAERR, "%s: no rubric (rubric), and no default one: %s", where, e->msg);
	if (!valid_rater(rater))
		return gs_fail(e, EX_DATAERR, "%s: %s (rater)", where, rater ? "invalid rater name" : "no rater; use --as");
	struct rubric *r = rubric_cached(c->w, &c->rc, rubric_name, e);
	if (!r) return gs_fail(e, EX_DATAERR, "%s: %s (rubric)", where, e->msg);
	struct store_item si;
	if (store_item_get(c->w->st, ll->id, &si, e))
		return gs_fail(e, EX_DATAERR, "%s: no item \"%s\" in the workspace (id)", where, ll->id);
	int pairwise = strcmp(r->mode, "pairwise") == 0, rc = 0;
	if (pairwise && (!ll->left || !ll->right))
		rc = gs_fail(e, EX_DATAERR, "%s: a pairwise label needs left and right (left)", where);
	else if (pairwise && ll->system)
		rc = gs_fail(e, EX_DATAERR, "%s: a pairwise label needs left and right, not system (system)", where);
	else if (pairwise || ll->system) rc = check_systems(&si, ll, where, e);
	size_t n = rubric_slot_count(r);
	int *slots = xcalloc(n, sizeof *slots);
	char *vals = NULL, *sides = NULL, *pk = NULL;
	if (!rc && ll->labels) {
		rc = rubric_values_from_json(r, ll->labels, ll->left, ll->right, 0, slots, where, e);
		if (!rc) {
			vals = rubric_values_to_json(r, slots, ll->left, ll->right);
			sides = pairwise ? rubric_sides_json(r, slots) : NULL;
		}
	}
	if (!rc) {
		pk = pairwise ? labelline_pair_key(ll->left, ll->right) :
			ll->system ? labelline_system_key(ll->system) : xstrdup("");
		int ver = ll->rubric_version >= 0 ? ll->rubric_version : r->version;
		struct store_label l = {.item_row = si.id, .ext_id = ll->id, .rubric = r->name,
					.rubric_version = ver, .rubric_hash = ver == r->version ? r->hash : "",
					.rater = rater, .vals = vals, .note = ll->note, .left_sys = pairwise ? ll->left : ll->system,
					.right_sys = pairwise ? ll->right : NULL, .pair_key = pk, .sides = sides,
					.seconds = -1, .source = c->source, .batch = ll->batch, .at = ll->at};
		rc = put_row(c, &l, e);
		if (ll->at && gs_at_ms(ll->at) > c->newest) c->newest = gs_at_ms(ll->at);
	}
	free(slots);
	free(vals);
	free(sides);
	free(pk);
	store_item_free(&si);
	return rc;
}

/* rubric and rater from a path labels/RUBRIC/RATER.jsonl (relative to the
 * workspace, or a file under its labels/ folder) */
static void path_defaults(struct lctx *c, const char *rel)
{
	free(c->path_rater);
	free(c->path_rubric);
	c->path_rater = c->path_rubric = NULL;
	const char *p = strstr(rel, "labels/");
	while (p && strstr(p + 1, "labels/")) p = strstr(p + 1, "labels/");
	if (!p) return;
	const char *r = p + 7, *slash = strchr(r, '/');
	if (!slash || strchr(slash + 1, '/')) return;
	char *base = base_name_noext(slash + 1);
	c->path_rubric = xstrndup(r, (size_t)(slash - r));
	c->path_rater = labelline_unescape(base);
	free(base);
}

static int one_line(struct lctx *c, const char *file, long lineno, const char *line, size_t len, struct gs_err *e)
{
	if (strspn(line, " \t") == len) return 0;
	char where[600];
	snprintf(where, sizeof where, "%s:%ld", file, lineno);
	struct label_line ll;
	c->st.lines++;
	int rc = labelline_parse(line, len, file, lineno, &ll, e);
	if (!rc) {
		rc = put_label(c, &ll, where, e);
		label_line_free(&ll);
	}
	return rc;
}

static int label_file(struct lctx *c, const char *file, struct gs_err *e)
{
	struct line_reader r;
	if (line_reader_open(&r, file, e)) return e->code;
	char *labels = ws_path(c->w, "labels");
	if (under_dir(file, labels)) {
		char *rp = realpath(file, NULL);
		path_defaults(c, rp ? rp : file);
		free(rp);
	} else {
		path_defaults(c, "");
	}
	free(labels);
	const char *line;
	size_t len;
	int rc;
	while ((rc = line_reader_next(&r, &line, &len, e)) == 1 && !(rc = one_line(c, file, r.lineno, line, len, e)))
		;
	line_reader_close(&r);
	c->st.files++;
	return rc;
}

static int lctx_open(struct lctx *c, struct ws *w, const char *source, int replica, struct gs_err *e)
{
	memset(c, 0, sizeof *c);
	c->w = w;
	c->source = source;
	c->replica = replica;
	c->newest = -1;
	return store_begin(w->st, e);
}

static int lctx_close(struct lctx *c, int rc, struct label_stats *st, struct gs_err *e)
{
	if (!rc && c->newest >= 0) {
		store_clock_saw(c->w->st, c->newest);
		rc = store_clock_save(c->w->st, e);
	}
	if (rc) store_rollback(c->w->st);
	else rc = store_commit(c->w->st, e);
	for (size_t i = 0; i < c->rc.n; i++) rubric_free(c->rc.r[i]);
	free(c->path_rater);
	free(c->path_rubric);
	free(c->default_rubric[0]);
	free(c->default_rubric[1]);
	*st = c->st;
	return rc;
}

static int load_files(struct ws *w, char *const *files, size_t nfiles, const char *rater, const char *rubric,
		      const char *source, int replica, struct label_stats *st, struct gs_err *e)
{
	struct lctx c;
	int rc = lctx_open(&c, w, source, replica, e);
	if (rc) return rc;
	c.rater = rater;
	c.rubric = rubric;
	for (size_t i = 0; i < nfiles && !rc; i++) rc = label_file(&c, files[i], e);
	return lctx_close(&c, rc, st, e);
}

int ingest_labels(struct ws *w, char *const *files, size_t nfiles, const char *rater, const char *rubric,
		  const char *source, struct label_stats *st, struct gs_err *e)
{
	return load_files(w, files, nfiles, rater, rubric, source, 0, st, e);
}

/* the scores of one file of a tool as label lines */
static int preset_label_file(struct lctx *c, enum preset p, const char *file, const struct preset_map *map,
			     struct preset_label_stats *pst, struct gs_err *e)
{
	char *text = NULL;
	size_t len = 0;
	GPtrArray *recs = preset_recs_new();
	struct preset_label_stats one;
	struct rubric *r = rubric_cached(c->w, &c->rc, c->rubric, e);
	int rc = r ? read_file(file, &text, &len, e) : e->code;
	if (!rc) rc = preset_labels(p, file, text, len, r, map, recs, &one, e);
	if (!rc) {
		pst->unmapped += one.unmapped;
		pst->no_value += one.no_value;
	}
	for (guint i = 0; !rc && i < recs->len; i++) {
		const struct preset_rec *pr = g_ptr_array_index(recs, i);
		if ((rc = one_line(c, "", 0, pr->json, strlen(pr->json), e))) rec_fail(e, file, text, len, pr);
	}
	c->st.files++;
	g_ptr_array_free(recs, TRUE);
	free(text);
	return rc;
}

int ingest_labels_preset(struct ws *w, enum preset p, char *const *files, size_t nfiles, const char *rater,
			 const char *rubric, const struct preset_map *map, struct label_stats *st,
			 struct preset_label_stats *pst, struct gs_err *e)
{
	struct lctx c;
	memset(pst, 0, sizeof *pst);
	int rc = lctx_open(&c, w, "import", 0, e);
	if (rc) return rc;
	c.rater = rater;
	c.rubric = rubric;
	for (size_t i = 0; i < nfiles && !rc; i++) rc = preset_label_file(&c, p, files[i], map, pst, e);
	return lctx_close(&c, rc, st, e);
}

/* ---- label files as git holds them ---- */

struct label_load { struct lctx c; int rc; };

int ingest_label_load_open(struct ws *w, const char *source, struct label_load **out, struct gs_err *e)
{
	struct label_load *L = xcalloc(1, sizeof *L);
	int rc = lctx_open(&L->c, w, source, 1, e);
	if (rc) {
		free(L);
		return rc;
	}
	*out = L;
	return 0;
}

int ingest_label_load_text(struct label_load *L, const char *rel, const char *where, const char *text, size_t len,
			   struct gs_err *e)
{
	path_defaults(&L->c, rel);
	const char *p = text, *end = text + len;
	long lineno = 0;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
	while (p < end && !L->rc) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *stop = nl ? nl : end;
		size_t n = (size_t)(stop - p);
		if (n && p[n - 1] == '\r') n--;
		L->rc = one_line(&L->c, where, ++lineno, p, n, e);
		p = stop + 1;
	}
	L->c.st.files++;
	return L->rc;
}

long long ingest_label_load_older(const struct label_load *L) { return L->c.st.older; }

int ingest_label_load_close(struct label_load *L, int ok, struct label_stats *st, struct gs_err *e)
{
	int rc = lctx_close(&L->c, ok ? L->rc : (L->rc ? L->rc : EX_SOFTWARE), st, e);
	free(L);
	return ok ? rc : 0;
}

int ingest_label_tree(struct ws *w, const char *source, struct label_stats *st, struct gs_err *e)
{
	char *dir = ws_path(w, "labels");
	struct dirent **rubrics = NULL;
	int k = scandir(dir, &rubrics, NULL, alphasort);
	GPtrArray *files = g_ptr_array_new_with_free_func(free);
	for (int i = 0; i < k; i++) {
		if (rubrics[i]->d_name[0] != '.') {
			char *sub = path_join(dir, rubrics[i]->d_name);
			if (is_dir(sub)) golden_list(sub, files);
			free(sub);
		}
		free(rubrics[i]);
	}
	free(rubrics);
	free(dir);
	int rc = files->len ? load_files(w, (char *const *)files->pdata, files->len, NULL, NULL, source, 1, st, e) : 0;
	if (!files->len) memset(st, 0, sizeof *st);
	g_ptr_array_free(files, TRUE);
	return rc;
}
