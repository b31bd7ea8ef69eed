/* labelsat.c: label sets at a git revision (read through vcs.h, never the
 * working tree), label sets compared, and the changes between two
 * revisions loaded into the store (see labelsat.h).  Serves `agree --at`,
 * `diff`, the summary of `commit`, and `pull`. */
#include "labelsat.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest.h"

/* ---- paths and lines ---- */

int labelsat_path(const char *path, char **rubric, char **rater)
{
	if (strncmp(path, "labels/", 7) != 0) return 0;
	const char *r = path + 7, *slash = strchr(r, '/');
	if (!slash || slash == r || *r == '.') return 0;
	const char *name = slash + 1;
	size_t n = strlen(name);
	if (strchr(name, '/') || n <= 6 || *name == '.' || strcmp(name + n - 6, ".jsonl") != 0) return 0;
	char *base = xstrndup(name, n - 6);
	*rubric = xstrndup(r, (size_t)(slash - r));
	*rater = labelset_unescape(base);
	free(base);
	return 1;
}

/* one line: parsed, defaults from the path filled in, handed to fn */
static int text_line(const char *line, size_t len, long lineno, const char *prefix, const char *rubric,
		     const char *rater, labelsat_fn fn, void *ctx, struct gs_err *e)
{
	struct label_line ll;
	int rc = labelset_parse(line, len, prefix, lineno, &ll, e);
	if (rc) return rc;
	if (!ll.rubric && rubric) ll.rubric = xstrdup(rubric);
	if (!ll.rater && rater) ll.rater = xstrdup(rater);
	char *where = xasprintf("%s:%ld", prefix, lineno);
	rc = fn(ctx, &ll, where);
	free(where);
	label_line_free(&ll);
	return rc;
}

int labelsat_text_each(const char *text, size_t len, const char *path, const char *where_prefix,
		       labelsat_fn fn, void *ctx, struct gs_err *e)
{
	char *rubric = NULL, *rater = NULL;
	labelsat_path(path, &rubric, &rater);
	const char *p = text, *end = text + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
	long lineno = 0;
	int rc = 0;
	while (p < end && !rc) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		size_t n = (size_t)(stop - p);
		if (n && p[n - 1] == '\r') n--;
		lineno++;
		if (strspn(p, " \t") < n) rc = text_line(p, n, lineno, where_prefix, rubric, rater, fn, ctx, e);
		p = stop + 1;
	}
	free(rubric);
	free(rater);
	return rc;
}

struct paths { char **v; size_t n; const char *rubric; };

static int collect_label_file(const char *path, const char *blob_hex, void *arg)
{
	struct paths *ps = arg;
	char *rubric, *rater;
	(void)blob_hex;
	if (!labelsat_path(path, &rubric, &rater)) return 0;
	if (!ps->rubric || strcmp(ps->rubric, rubric) == 0) {
		ps->v = xrealloc(ps->v, (ps->n + 1) * sizeof *ps->v);
		ps->v[ps->n++] = xstrdup(path);
	}
	free(rubric);
	free(rater);
	return 0;
}

static int file_at_each(struct vcs *r, const char *rev, const char *path, labelsat_fn fn, void *ctx,
			struct gs_err *e)
{
	char *text;
	size_t len;
	int rc = vcs_read_file_at(r, rev, path, &text, &len, e);
	if (rc) return rc;
	char *prefix = xasprintf("%s:%s", rev, path);
	rc = labelsat_text_each(text, len, path, prefix, fn, ctx, e);
	free(prefix);
	free(text);
	return rc;
}

int labelsat_each(struct vcs *r, const char *rev, const char *rubric, labelsat_fn fn, void *ctx,
		  struct gs_err *e)
{
	struct paths ps = {NULL, 0, rubric};
	int rc = vcs_list_files_at(r, rev, "labels/", collect_label_file, &ps, e);
	for (size_t i = 0; i < ps.n; i++) {
		if (!rc) rc = file_at_each(r, rev, ps.v[i], fn, ctx, e);
		free(ps.v[i]);
	}
	free(ps.v);
	return rc;
}

/* ---- label sets ---- */

enum { F_RUBRIC, F_RATER, F_ID, F_SYS_A, F_SYS_B, F_LEFT, F_RIGHT, F_LABELS, F_NOTE, F_AT, F_N };

static struct la_rec *rec_new(struct la_set *s, const char *f[F_N], int version)
{
	if (s->n == s->cap) s->v = xrealloc(s->v, (s->cap = s->cap ? s->cap * 2 : 256) * sizeof *s->v);
	struct la_rec *r = &s->v[s->n];
	size_t len[F_N], total = 0;
	for (int i = 0; i < F_N; i++) total += (len[i] = f[i] ? strlen(f[i]) : 0) + 1;
	char *p = r->block = xmalloc(total);
	const char **dst[F_N] = {&r->rubric, &r->rater, &r->id, &r->sys_a, &r->sys_b,
				 &r->left, &r->right, &r->labels, &r->note, &r->at};
	for (int i = 0; i < F_N; i++) {
		memcpy(p, f[i] ? f[i] : "", len[i]);
		p[len[i]] = 0;
		*dst[i] = p;
		p += len[i] + 1;
	}
	r->rubric_version = version;
	r->line = 0;
	r->seq = s->n++;
	return r;
}

/* the two systems of a comparison in sorted order (both NULL: single) */
static void sorted_pair(const char *left, const char *right, const char **a, const char **b)
{
	*a = *b = NULL;
	if (!left || !right) return;
	int swap = strcmp(left, right) > 0;
	*a = swap ? right : left;
	*b = swap ? left : right;
}

void la_add_line(struct la_set *s, const struct label_line *l)
{
	const char *a, *b;
	sorted_pair(l->left, l->right, &a, &b);
	const char *f[F_N] = {l->rubric, l->rater, l->id, a, b, l->left, l->right,
			      l->labels ? l->labels : "{}", l->note, l->at};
	rec_new(s, f, l->rubric_version);
}

void la_add_label(struct la_set *s, const struct store_label *l)
{
	const char *a, *b;
	sorted_pair(l->left_sys, l->right_sys, &a, &b);
	const char *f[F_N] = {l->rubric, l->rater, l->ext_id, a, b, l->left_sys, l->right_sys,
			      l->vals ? l->vals : "{}", l->note, l->at};
	rec_new(s, f, l->rubric_version);
}

static int key_cmp(const struct la_rec *x, const struct la_rec *y)
{
	int c = strcmp(x->rubric, y->rubric);
	if (!c) c = strcmp(x->rater, y->rater);
	if (!c) c = strcmp(x->id, y->id);
	if (!c) c = strcmp(x->sys_a, y->sys_a);
	if (!c) c = strcmp(x->sys_b, y->sys_b);
	return c;
}

static int rec_cmp(const void *a, const void *b)
{
	const struct la_rec *x = a, *y = b;
	int c = key_cmp(x, y);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

void la_sort(struct la_set *s)
{
	if (s->n > 1) qsort(s->v, s->n, sizeof *s->v, rec_cmp);
	size_t out = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (i + 1 < s->n && key_cmp(&s->v[i], &s->v[i + 1]) == 0) {
			free(s->v[i].block);
			continue;
		}
		s->v[out++] = s->v[i];
	}
	s->n = out;
}

void la_free(struct la_set *s)
{
	for (size_t i = 0; i < s->n; i++) free(s->v[i].block);
	free(s->v);
	memset(s, 0, sizeof *s);
}

/* ---- values ---- */

static char *value_text(const cJSON *v)
{
	if (cJSON_IsString(v)) return xstrdup(v->valuestring);
	char *p = cJSON_PrintUnformatted(v);
	char *s = xstrdup(p ? p : "null");
	cJSON_free(p);
	return s;
}

static void kv_push(struct la_kv **kv, size_t *n, char *name, char *value)
{
	*kv = xrealloc(*kv, (*n + 1) * sizeof **kv);
	(*kv)[*n].name = name;
	(*kv)[(*n)++].value = value;
}

static int kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct la_kv *)a)->name, ((const struct la_kv *)b)->name);
}

size_t la_flatten(const char *labels_json, struct la_kv **out)
{
	cJSON *o = cJSON_Parse(labels_json ? labels_json : "{}");
	size_t n = 0;
	*out = NULL;
	for (const cJSON *c = cJSON_IsObject(o) ? o->child : NULL; c; c = c->next) {
		if (!cJSON_IsObject(c)) {
			kv_push(out, &n, xstrdup(c->string), value_text(c));
			continue;
		}
		for (const cJSON *sub = c->child; sub; sub = sub->next)
			kv_push(out, &n, xasprintf("%s/%s", c->string, sub->string), value_text(sub));
	}
	cJSON_Delete(o);
	if (n) qsort(*out, n, sizeof **out, kv_cmp);
	return n;
}

void la_kv_free(struct la_kv *kv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(kv[i].name);
		free(kv[i].value);
	}
	free(kv);
}

static int same_values(const char *a, const char *b)
{
	if (strcmp(a, b) == 0) return 1;
	struct la_kv *x, *y;
	size_t nx = la_flatten(a, &x), ny = la_flatten(b, &y);
	int same = nx == ny;
	for (size_t i = 0; same && i < nx; i++)
		same = strcmp(x[i].name, y[i].name) == 0 && strcmp(x[i].value, y[i].value) == 0;
	la_kv_free(x, nx);
	la_kv_free(y, ny);
	return same;
}

int la_compare(const struct la_set *old, const struct la_set *neu, la_diff_fn fn, void *ctx)
{
	size_t i = 0, j = 0;
	int rc = 0;
	while (!rc && (i < old->n || j < neu->n)) {
		int c = i >= old->n ? 1 : j >= neu->n ? -1 : key_cmp(&old->v[i], &neu->v[j]);
		if (c < 0) rc = fn(ctx, &old->v[i++], NULL);
		else if (c > 0) rc = fn(ctx, NULL, &neu->v[j++]);
		else {
			const struct la_rec *a = &old->v[i++], *b = &neu->v[j++];
			if (strcmp(a->note, b->note) != 0 || !same_values(a->labels, b->labels)) rc = fn(ctx, a, b);
		}
	}
	return rc;
}

/* ---- loading the changes between two revisions ---- */

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

/* golden/SET.jsonl files added or changed, as the working tree holds them */
static int load_golden(struct ws *w, struct vcs *r, const char *old_rev, const char *new_rev,
		       struct labelsat_loaded *st, struct gs_err *e)
{
	struct changes ch = {0};
	char **files = NULL;
	size_t n = 0;
	int rc = vcs_changed_files(r, old_rev, new_rev, "golden/", collect_change, &ch, e);
	for (size_t i = 0; !rc && i < ch.n; i++) {
		const char *name = ch.path[i] + 7;
		size_t len = strlen(name);
		if (ch.status[i] == 'D' || strchr(name, '/') || *name == '.' || len <= 6 ||
		    strcmp(name + len - 6, ".jsonl") != 0)
			continue;
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
	st->items_added = is.added;
	st->items_changed = is.changed;
	st->golden_files = n;
	for (size_t i = 0; i < n; i++) free(files[i]);
	free(files);
	changes_free(&ch);
	return rc;
}

/* label lines that are new or changed, gathered into one file for
 * ingest_labels, with where each came from (for messages) */
struct pending {
	struct sbuf text;
	char **where;
	size_t n;
	const char *path;         /* the label file being compared */
};

static int add_rec(void *ctx, const struct label_line *l, const char *where)
{
	struct la_set *s = ctx;
	const char *colon = strrchr(where, ':');
	la_add_line(s, l);
	s->v[s->n - 1].line = colon ? atol(colon + 1) : 0;
	return 0;
}

static int pick_new(void *ctx, const struct la_rec *old, const struct la_rec *neu)
{
	struct pending *p = ctx;
	(void)old;
	if (!neu) return 0;
	struct store_label l = {.ext_id = neu->id, .rubric = neu->rubric, .rubric_version = neu->rubric_version,
				.rater = neu->rater, .vals = neu->labels, .note = *neu->note ? neu->note : NULL,
				.left_sys = *neu->left ? neu->left : NULL, .right_sys = *neu->right ? neu->right : NULL,
				.at = *neu->at ? neu->at : NULL};
	char *line = labelset_format(&l);
	sb_add(&p->text, line);
	sb_addc(&p->text, '\n');
	free(line);
	p->where = xrealloc(p->where, (p->n + 1) * sizeof *p->where);
	p->where[p->n++] = xasprintf("%s:%ld", p->path, neu->line);
	return 0;
}

/* the label lines of path at rev, sorted; no file there: an empty set */
static int read_set(struct vcs *r, const char *rev, const char *path, struct la_set *s, struct gs_err *e)
{
	char *text;
	size_t len;
	if (!rev) return 0;
	int rc = vcs_read_file_at(r, rev, path, &text, &len, e);
	if (rc == EX_NOINPUT) return 0;
	if (rc) return rc;
	char *prefix = xasprintf("%s:%s", rev, path);
	rc = labelsat_text_each(text, len, path, prefix, add_rec, s, e);
	la_sort(s);
	free(prefix);
	free(text);
	return rc;
}

/* the lines of one changed label file that differ from old_rev */
static int pick_file(struct vcs *r, const char *old_rev, const char *new_rev, const char *path,
		     struct pending *p, struct gs_err *e)
{
	struct la_set o = {0}, n = {0};
	int rc = read_set(r, old_rev, path, &o, e);
	if (!rc) rc = read_set(r, new_rev, path, &n, e);
	p->path = path;
	if (!rc) rc = la_compare(&o, &n, pick_new, p);
	la_free(&o);
	la_free(&n);
	return rc;
}

/* ingest's "TMP:LINE: ..." told as "labels/RUBRIC/RATER.jsonl:LINE: ..." */
static void retell(struct gs_err *e, const char *tmp, const struct pending *p)
{
	size_t n = strlen(tmp);
	char *end;
	if (strncmp(e->msg, tmp, n) != 0 || e->msg[n] != ':') return;
	long line = strtol(e->msg + n + 1, &end, 10);
	if (line < 1 || (size_t)line > p->n) return;
	char rest[sizeof e->msg];
	snprintf(rest, sizeof rest, "%s", end);
	snprintf(e->msg, sizeof e->msg, "%s%s", p->where[line - 1], rest);
}

static int ingest_pending(struct ws *w, struct pending *p, struct labelsat_loaded *st, struct gs_err *e)
{
	char *dir = ws_path(w, ".goldset/tmp");
	char *tmp = xasprintf("%s/pull-%ld.jsonl", dir, (long)getpid());
	int rc = mkdir_p(dir) ? gs_fail(e, EX_CANTCREAT, "%s: %s", dir, strerror(errno)) : 0;
	if (!rc) rc = write_file_atomic(tmp, p->text.p ? p->text.p : "", p->text.len, e);
	struct label_stats ls = {0};
	if (!rc) {
		rc = ingest_labels(w, &tmp, 1, NULL, NULL, "pull", &ls, e);
		if (rc) retell(e, tmp, p);
	}
	st->labels_loaded = ls.lines;
	st->labels_added = ls.added;
	unlink(tmp);
	free(tmp);
	free(dir);
	return rc;
}

static int load_labels(struct ws *w, struct vcs *r, const char *old_rev, const char *new_rev,
		       struct labelsat_loaded *st, struct gs_err *e)
{
	struct changes ch = {0};
	struct pending p = {0};
	int rc = vcs_changed_files(r, old_rev, new_rev, "labels/", collect_change, &ch, e);
	for (size_t i = 0; !rc && i < ch.n; i++) {
		char *rubric, *rater;
		if (ch.status[i] == 'D' || !labelsat_path(ch.path[i], &rubric, &rater)) continue;
		free(rubric);
		free(rater);
		st->label_files++;
		rc = pick_file(r, old_rev, new_rev, ch.path[i], &p, e);
	}
	if (!rc && p.n) rc = ingest_pending(w, &p, st, e);
	for (size_t i = 0; i < p.n; i++) free(p.where[i]);
	free(p.where);
	sb_free(&p.text);
	changes_free(&ch);
	return rc;
}

int labelsat_load_changes(struct ws *w, struct vcs *r, const char *old_rev, const char *new_rev,
			  struct labelsat_loaded *st, struct gs_err *e)
{
	memset(st, 0, sizeof *st);
	int rc = load_golden(w, r, old_rev, new_rev, st, e);
	if (!rc) rc = ws_sync_rubrics(w, e);
	if (!rc) rc = load_labels(w, r, old_rev, new_rev, st, e);
	return rc;
}
