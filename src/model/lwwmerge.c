/* lwwmerge.c: the merge rule of every file a team shares (see lwwmerge.h).
 *
 * A shared file is JSON lines; each line has key fields and a time "at".
 * Two versions merge into the union of their lines with, per key, the
 * line of the later time (equal times: the line whose bytes sort last), in
 * key order.  The rule is commutative, associative and idempotent, so no
 * merge can conflict and no order of merges brings an older value back.
 * Lines are kept byte for byte; only the choice and the order are made
 * here. */
#include "model/lwwmerge.h"

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "model/jsoncheck.h"
#include "model/labelline.h"

/* the key fields of each kind of shared file, by folder */
struct kind { const char *prefix, *ext; const char *fields[3]; };
static const struct kind kinds[] = {
	{"labels/", ".jsonl", {"id", NULL, NULL}},          /* + the pair of systems, see line_key */
	{"consensus/", ".jsonl", {"id", "criterion", NULL}},
	{"reviews/", ".jsonl", {"id", "session", NULL}},
	{"batches/", ".jsonl", {"kind", NULL, NULL}},
};

static const struct kind *kind_of(const char *rel)
{
	size_t n = strlen(rel);
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++) {
		size_t p = strlen(kinds[i].prefix), x = strlen(kinds[i].ext);
		if (n <= p + x || strncmp(rel, kinds[i].prefix, p) != 0 || strcmp(rel + n - x, kinds[i].ext) != 0)
			continue;
		/* labels/RUBRIC/NAME.jsonl; the others FOLDER/NAME.jsonl */
		const char *name = rel + p, *slash = strchr(name, '/');
		if (i == 0 && slash && slash > name && slash[1] != '.') slash = strchr(slash + 1, '/');
		else if (i == 0) return NULL;
		return slash || *name == '.' ? NULL : &kinds[i];
	}
	return NULL;
}

int lww_is_shared(const char *rel) { return kind_of(rel) != NULL; }

const char *const *lww_key_fields(const char *rel)
{
	const struct kind *k = kind_of(rel);
	return k ? k->fields : NULL;
}

struct line {
	char *key[4];             /* key strings, compared in turn */
	const char *text;         /* the line, without its newline */
	size_t len;
	int64_t at;
};


static char *field_text(const cJSON *v)
{
	if (!v) return xstrdup("");
	if (cJSON_IsString(v)) return xstrdup(v->valuestring);
	char *p = cJSON_PrintUnformatted(v), *s = xstrdup(p ? p : "");
	cJSON_free(p);
	return s;
}

/* the key of a line of kind k; labels also key on the rubric, the rater
 * and the pair of systems (sorted) or the one system labeled */
static void line_key(const struct kind *k, const cJSON *o, struct line *l)
{
	memset(l->key, 0, sizeof l->key);
	if (k == &kinds[0]) {
		const cJSON *left = cJSON_GetObjectItemCaseSensitive(o, "left");
		const cJSON *right = cJSON_GetObjectItemCaseSensitive(o, "right");
		const cJSON *sys = cJSON_GetObjectItemCaseSensitive(o, "system");
		l->key[0] = field_text(cJSON_GetObjectItemCaseSensitive(o, "rubric"));
		l->key[1] = field_text(cJSON_GetObjectItemCaseSensitive(o, "rater"));
		l->key[2] = field_text(cJSON_GetObjectItemCaseSensitive(o, "id"));
		l->key[3] = cJSON_IsString(left) && cJSON_IsString(right) ?
			labelline_pair_key(left->valuestring, right->valuestring) :
			cJSON_IsString(sys) ? labelline_system_key(sys->valuestring) : xstrdup("");
		return;
	}
	for (int i = 0; i < 3 && k->fields[i]; i++)
		l->key[i] = field_text(cJSON_GetObjectItemCaseSensitive(o, k->fields[i]));
}

static void line_free(struct line *l)
{
	for (int i = 0; i < 4; i++) free(l->key[i]);
}

static int parse_line(const struct kind *k, const char *rel, long lineno, const char *p, size_t n,
		      GArray *out, struct gs_err *e)
{
	static const char *const names[] = {"id", "rubric", "rater", "left", "right", "system", "criterion", "kind", NULL};
	struct jc_error je;
	cJSON *o = jsoncheck_parse(p, n, names, &je);
	if (!o && !je.syntax)
		return gs_fail(e, EX_DATAERR, "%s:%ld: %s (%s)", rel, lineno, je.what, je.field[0] ? je.field : "line");
	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		return gs_fail(e, EX_DATAERR, "%s:%ld: not a JSON object (line)", rel, lineno);
	}
	const cJSON *at = cJSON_GetObjectItemCaseSensitive(o, "at");
	int64_t ms = cJSON_IsString(at) ? gs_at_ms(at->valuestring) : -1;
	if (at && ms < 0) {
		cJSON_Delete(o);
		return gs_fail(e, EX_DATAERR, "%s:%ld: at must be a UTC time such as 2026-11-22T10:31:07.120Z (at)",
			       rel, lineno);
	}
	struct line l;
	line_key(k, o, &l);
	l.text = p;
	l.len = n;
	l.at = ms;
	g_array_append_val(out, l);
	cJSON_Delete(o);
	return 0;
}

static int parse_text(const struct kind *k, const char *rel, const char *text, size_t len, GArray *out,
		      struct gs_err *e)
{
	const char *p = text, *end = text + len;
	long lineno = 0;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *stop = nl ? nl : end;
		size_t n = (size_t)(stop - p);
		while (n && p[n - 1] == '\r') n--;   /* every CR: a line kept with one would change when read again */
		lineno++;
		if (!gs_blank(p, n) && parse_line(k, rel, lineno, p, n, out, e)) return e->code;
		p = stop + 1;
	}
	return 0;
}

static int key_cmp(const struct line *a, const struct line *b)
{
	for (int i = 0; i < 4; i++) {
		int c = strcmp(a->key[i] ? a->key[i] : "", b->key[i] ? b->key[i] : "");
		if (c) return c;
	}
	return 0;
}

int lww_newer(int64_t at_a, const char *a, size_t alen, int64_t at_b, const char *b, size_t blen)
{
	if (at_a != at_b) return at_a > at_b;
	int c = memcmp(a, b, alen < blen ? alen : blen);
	return c ? c > 0 : alen > blen;
}

/* key order; within a key, the winner last */
static int line_cmp(const void *x, const void *y)
{
	const struct line *a = x, *b = y;
	int c = key_cmp(a, b);
	if (c) return c;
	if (lww_newer(a->at, a->text, a->len, b->at, b->text, b->len)) return 1;
	return lww_newer(b->at, b->text, b->len, a->at, a->text, a->len) ? -1 : 0;
}

int lww_merge(const char *rel, const char *a, size_t alen, const char *b, size_t blen, struct sbuf *out,
	      struct gs_err *e)
{
	const struct kind *k = kind_of(rel);
	if (!k) return gs_fail(e, EX_SOFTWARE, "%s: not a file goldset merges", rel);
	GArray *ls = g_array_new(FALSE, FALSE, sizeof(struct line));
	int rc = parse_text(k, rel, a, alen, ls, e);
	if (!rc) rc = parse_text(k, rel, b, blen, ls, e);
	struct line *v = (struct line *)(void *)ls->data;
	if (!rc && ls->len) qsort(v, ls->len, sizeof *v, line_cmp);
	for (size_t i = 0; !rc && i < ls->len; i++) {
		if (i + 1 < ls->len && key_cmp(&v[i], &v[i + 1]) == 0) continue;
		sb_addn(out, v[i].text, v[i].len);
		sb_addc(out, '\n');
	}
	for (size_t i = 0; i < ls->len; i++) line_free(&v[i]);
	g_array_free(ls, TRUE);
	return rc;
}
