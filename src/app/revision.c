/* revision.c: label sets at a git revision (read through vcs.h, never the
 * working tree), label sets compared, and the changes between two
 * (see revision.c).  Serves `agree --at`, `diff` and the summary of
 * `commit`. */
#include "app/revision.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


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
	*rater = labelline_unescape(base);
	free(base);
	return 1;
}

/* one line: parsed, defaults from the path filled in, handed to fn */
static int text_line(const char *line, size_t len, long lineno, const char *prefix, const char *rubric,
		     const char *rater, labelsat_fn fn, void *ctx, struct gs_err *e)
{
	struct label_line ll;
	int rc = labelline_parse(line, len, prefix, lineno, &ll, e);
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
		if (!gs_blank(p, n)) rc = text_line(p, n, lineno, where_prefix, rubric, rater, fn, ctx, e);
		p = stop + 1;
	}
	free(rubric);
	free(rater);
	return rc;
}

struct paths { GPtrArray *v; const char *rubric; };

static int collect_label_file(const char *path, const char *blob_hex, void *arg)
{
	struct paths *ps = arg;
	char *rubric, *rater;
	(void)blob_hex;
	if (!labelsat_path(path, &rubric, &rater)) return 0;
	if (!ps->rubric || strcmp(ps->rubric, rubric) == 0) g_ptr_array_add(ps->v, xstrdup(path));
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
	struct paths ps = {g_ptr_array_new_with_free_func(free), rubric};
	int rc = vcs_list_files_at(r, rev, "labels/", collect_label_file, &ps, e);
	for (size_t i = 0; i < ps.v->len && !rc; i++) rc = file_at_each(r, rev, g_ptr_array_index(ps.v, i), fn, ctx, e);
	g_ptr_array_free(ps.v, TRUE);
	return rc;
}

/* ---- label sets ---- */

enum { F_RUBRIC, F_RATER, F_ID, F_SYS_A, F_SYS_B, F_LEFT, F_RIGHT, F_LABELS, F_NOTE, F_AT, F_N };

static size_t set_n(const struct la_set *s) { return s->v ? s->v->len : 0; }
static struct la_rec *rec_at(const struct la_set *s, size_t i) { return &g_array_index(s->v, struct la_rec, i); }

static struct la_rec *rec_new(struct la_set *s, const char *f[F_N], int version)
{
	if (!s->v) s->v = g_array_sized_new(FALSE, FALSE, sizeof(struct la_rec), 256);
	g_array_set_size(s->v, s->v->len + 1);
	struct la_rec *r = rec_at(s, s->v->len - 1);
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
	r->seq = s->v->len - 1;
	return r;
}

/* the two systems of a comparison in sorted order (both NULL: single; a
 * single-mode label of one output: *a its system, *b NULL) */
static void sorted_pair(const char *left, const char *right, const char **a, const char **b)
{
	*a = *b = NULL;
	if (left && !right) *a = left;
	if (!left || !right) return;
	int swap = strcmp(left, right) > 0;
	*a = swap ? right : left;
	*b = swap ? left : right;
}

void la_add_line(struct la_set *s, const struct label_line *l)
{
	const char *a, *b;
	sorted_pair(l->system ? l->system : l->left, l->system ? NULL : l->right, &a, &b);
	const char *f[F_N] = {l->rubric, l->rater, l->id, a, b, l->left, l->right,
			      l->labels ? l->labels : "null", l->note, l->at};
	rec_new(s, f, l->rubric_version);
}

void la_add_label(struct la_set *s, const struct store_label *l)
{
	const char *a, *b;
	sorted_pair(l->left_sys, l->right_sys, &a, &b);
	const char *f[F_N] = {l->rubric, l->rater, l->ext_id, a, b, l->left_sys, l->right_sys,
			      l->vals ? l->vals : "null", l->note, l->at};
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
	size_t n = set_n(s), out = 0;
	if (n > 1) qsort(rec_at(s, 0), n, sizeof(struct la_rec), rec_cmp);
	for (size_t i = 0; i < n; i++) {
		if ((i + 1 < n && key_cmp(rec_at(s, i), rec_at(s, i + 1)) == 0) || strcmp(rec_at(s, i)->labels, "null") == 0) {
			free(rec_at(s, i)->block);
			continue;
		}
		*rec_at(s, out++) = *rec_at(s, i);
	}
	if (s->v) g_array_set_size(s->v, (guint)out);
}

void la_free(struct la_set *s)
{
	for (size_t i = 0; i < set_n(s); i++) free(rec_at(s, i)->block);
	if (s->v) g_array_free(s->v, TRUE);
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

static void kv_push(GArray *kv, char *name, char *value)
{
	struct la_kv x = {name, value};
	g_array_append_val(kv, x);
}

static int kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct la_kv *)a)->name, ((const struct la_kv *)b)->name);
}

size_t la_flatten(const char *labels_json, struct la_kv **out)
{
	cJSON *o = cJSON_Parse(labels_json ? labels_json : "{}");
	GArray *kv = g_array_new(FALSE, FALSE, sizeof(struct la_kv));
	for (const cJSON *c = cJSON_IsObject(o) ? o->child : NULL; c; c = c->next) {
		if (!cJSON_IsObject(c)) {
			kv_push(kv, xstrdup(c->string), value_text(c));
			continue;
		}
		for (const cJSON *sub = c->child; sub; sub = sub->next)
			kv_push(kv, xasprintf("%s/%s", c->string, sub->string), value_text(sub));
	}
	cJSON_Delete(o);
	g_array_sort(kv, kv_cmp);
	size_t n = kv->len;
	*out = (struct la_kv *)(void *)g_array_free(kv, FALSE);
	return n;
}

long la_rubric_rank(const struct rubric *r, const char *name)
{
	for (size_t i = 0; r && i < r->ncrit; i++) {
		const struct criterion *c = &r->crit[i];
		size_t len = strlen(c->id);
		if (strncmp(name, c->id, len) != 0) continue;
		if (!name[len]) return (long)i * 1024;
		if (name[len] != '/' || c->type != CRIT_CHECKLIST) continue;
		for (size_t k = 0; k < c->noptions; k++)
			if (strcmp(name + len + 1, c->options[k]) == 0) return (long)i * 1024 + 1 + (long)k;
	}
	return LONG_MAX;
}

static int kv_rubric_cmp(const void *a, const void *b, void *r)
{
	const struct la_kv *x = a, *y = b;
	long rx = la_rubric_rank(r, x->name), ry = la_rubric_rank(r, y->name);
	return rx != ry ? (rx < ry ? -1 : 1) : strcmp(x->name, y->name);
}

void la_kv_rubric_order(struct la_kv *kv, size_t n, const struct rubric *r)
{
	if (n) g_qsort_with_data(kv, (gint)n, sizeof *kv, kv_rubric_cmp, (void *)r);
}

struct rubric *la_rubric(struct ws *w, const char *name)
{
	struct store_rubric sr;
	struct gs_err e;
	struct rubric *r = NULL;
	if (store_rubric_get(w->st, name, &sr, &e)) return NULL;
	if (rubric_parse(sr.json, strlen(sr.json), name, &r, &e, NULL, NULL)) r = NULL;
	store_rubric_free(&sr);
	return r;
}

void la_kv_free(struct la_kv *kv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(kv[i].name);
		free(kv[i].value);
	}
	g_free(kv);
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
	size_t nold = set_n(old), nneu = set_n(neu);
	while (!rc && (i < nold || j < nneu)) {
		int c = i >= nold ? 1 : j >= nneu ? -1 : key_cmp(rec_at(old, i), rec_at(neu, j));
		if (c < 0) rc = fn(ctx, rec_at(old, i++), NULL);
		else if (c > 0) rc = fn(ctx, NULL, rec_at(neu, j++));
		else {
			const struct la_rec *a = rec_at(old, i++), *b = rec_at(neu, j++);
			if (strcmp(a->note, b->note) != 0 || !same_values(a->labels, b->labels)) rc = fn(ctx, a, b);
		}
	}
	return rc;
}
