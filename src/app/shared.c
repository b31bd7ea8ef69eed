/* shared.c: calibration batches, consensus values and review records as
 * files in git (see shared.h for the contract, goldset-items(5) for the
 * fields): written from the store for `commit`, loaded into the store for
 * `pull` and `init`. Labels are labelfiles.c's; the merge of two versions
 * of a file (and git) is the caller's.
 *
 * Writing: each file is built whole in memory from the store's newest row
 * per key (consensus and reviews keep every decision as a row; batches one
 * row each), then handed over in byte order of path. Lines are
 * cJSON_PrintUnformatted of an object built in a fixed key order, made
 * terminal-safe by text_json_safe(), as label lines are; whole numbers are
 * written as raw digits so no reader rounds them.
 *
 * Loading: every line is parsed and checked first ("REL:LINE: what
 * (field)"), then applied in one transaction, each only when it beats what
 * the store holds for its key: the later "at" (as a time), or at the same
 * time the greater canonical line. That is the merge rule too, so a
 * teammate's file and the local store converge whatever the order. */
#include "app/shared.h"

#include <cjson/cJSON.h>
#include <glib.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "model/jsoncheck.h"
#include "model/labelline.h"
#include "store/store.h"
#include "base/text.h"
#include "app/ws.h"

#define MAX_SEED 9007199254740991LL   /* 2^53 - 1: exact in any JSON reader */
#define MAX_ROUND 1000000000LL

enum kind { K_NONE, K_BATCH, K_CONSENSUS, K_REVIEW };

static const struct { const char *dir; enum kind kind; } folders[] = {
	{"batches/", K_BATCH}, {"consensus/", K_CONSENSUS}, {"reviews/", K_REVIEW},
};

/* the kind of file rel is, and its name (still escaped) between the folder and ".jsonl" */
static enum kind kind_of(const char *rel, const char **name, size_t *nlen)
{
	for (size_t i = 0; rel && i < ARRAY_LEN(folders); i++) {
		size_t d = strlen(folders[i].dir);
		if (strncmp(rel, folders[i].dir, d) != 0) continue;
		const char *b = rel + d;
		size_t n = strlen(b);
		if (n <= 6 || strcmp(b + n - 6, ".jsonl") != 0 || memchr(b, '/', n)) return K_NONE;
		*name = b;
		*nlen = n - 6;
		return folders[i].kind;
	}
	return K_NONE;
}

int shared_is_file(const char *rel)
{
	const char *name;
	size_t n;
	return kind_of(rel, &name, &n) != K_NONE;
}

/* "at" times as times (lwwmerge.h's rule): a string that is not a time
 * sorts before every time, and among such strings by bytes */
static int at_cmp(const char *a, const char *b)
{
	int64_t x = gs_at_ms(a), y = gs_at_ms(b);
	if (x < 0 && y < 0) return strcmp(a ? a : "", b ? b : "");
	return (x > y) - (x < y);
}

/* ---- lines ---- */

static char *json_line(cJSON *o)
{
	char *p = cJSON_PrintUnformatted(o);
	if (!p) abort();
	char *s = text_json_safe(p);   /* a line may reach a terminal: no raw controls */
	cJSON_free(p);
	cJSON_Delete(o);
	return s;
}

static void add_str(cJSON *o, const char *k, const char *v)
{
	cJSON_AddItemToObject(o, k, v ? cJSON_CreateString(v) : cJSON_CreateNull());
}

static void add_int(cJSON *o, const char *k, long long v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", v);
	cJSON_AddItemToObject(o, k, cJSON_CreateRaw(buf));
}

static void add_strs(cJSON *o, const char *k, char *const *v)
{
	cJSON *a = cJSON_AddArrayToObject(o, k);
	for (size_t i = 0; v && v[i]; i++) cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
}

/* a NULL-terminated list of strings (owned): a GPtrArray whose last
 * element is NULL; {0} is an empty list */
struct strs { GPtrArray *p; };

static void strs_add(struct strs *l, const char *s)
{
	if (!l->p) {
		l->p = g_ptr_array_new_with_free_func(free);
		g_ptr_array_add(l->p, NULL);
	}
	g_ptr_array_index(l->p, l->p->len - 1) = xstrdup(s);
	g_ptr_array_add(l->p, NULL);
}

static size_t strs_n(const struct strs *l) { return l->p ? l->p->len - 1 : 0; }
static char **strs_v(const struct strs *l) { return l->p ? (char **)l->p->pdata : NULL; }

static void strs_free(struct strs *l)
{
	if (l->p) g_ptr_array_free(l->p, TRUE);
	memset(l, 0, sizeof *l);
}

/* A batch as its file has it. */
struct sbatch {
	char *name, *rubric, *stratify, *created_at, *at;
	struct strs raters, items;
	long long seed, round;
};

static void sbatch_free(struct sbatch *b)
{
	char *f[] = {b->name, b->rubric, b->stratify, b->created_at, b->at};
	for (size_t i = 0; i < ARRAY_LEN(f); i++) free(f[i]);
	strs_free(&b->raters);
	strs_free(&b->items);
	memset(b, 0, sizeof *b);
}

/* {"kind":"batch","name","rubric","raters","items","seed","stratify","round","created_at","at"} */
static char *batch_line(const struct sbatch *b, const char *at)
{
	cJSON *o = cJSON_CreateObject();
	add_str(o, "kind", "batch");
	add_str(o, "name", b->name);
	add_str(o, "rubric", b->rubric);
	add_strs(o, "raters", strs_v(&b->raters));
	add_strs(o, "items", strs_v(&b->items));
	add_int(o, "seed", b->seed);
	add_str(o, "stratify", b->stratify);
	add_int(o, "round", b->round);
	add_str(o, "created_at", b->created_at);
	add_str(o, "at", at);
	return json_line(o);
}

/* {"kind":"revealed","batch_at","at"}: batch_at is the "at" of the batch
 * line whose report was opened, so that the opening of one teammate's batch
 * never reveals another batch of the same name that replaced it */
static char *revealed_line(const char *batch_at, const char *at)
{
	cJSON *o = cJSON_CreateObject();
	add_str(o, "kind", "revealed");
	add_str(o, "batch_at", batch_at);
	add_str(o, "at", at);
	return json_line(o);
}

/* {"id","rubric","rubric_version","criterion","value","cause","note","source","at"}; NULL if value is not JSON */
static char *consensus_line(const struct store_consensus *c)
{
	cJSON *v = cJSON_Parse(c->value ? c->value : "null");
	if (!v) return NULL;
	cJSON *o = cJSON_CreateObject();
	add_str(o, "id", c->ext_id);
	add_str(o, "rubric", c->rubric);
	add_int(o, "rubric_version", c->rubric_version);
	add_str(o, "criterion", c->criterion);
	cJSON_AddItemToObject(o, "value", v);
	add_str(o, "cause", c->cause);
	add_str(o, "note", c->note);
	add_str(o, "source", c->source);
	add_str(o, "at", c->at);
	return json_line(o);
}

/* {"id","session","rubric","tags","note","at"}; NULL if tags is not JSON */
static char *review_line(const struct store_review *r)
{
	cJSON *tags = r->tags ? cJSON_Parse(r->tags) : cJSON_CreateNull();
	if (!tags) return NULL;
	cJSON *o = cJSON_CreateObject();
	add_str(o, "id", r->ext_id);
	add_str(o, "session", r->session);
	add_str(o, "rubric", r->rubric);
	cJSON_AddItemToObject(o, "tags", tags);
	add_str(o, "note", r->note);
	add_str(o, "at", r->at);
	return json_line(o);
}

/* ---- the store's side of a batch ---- */

static int add_item(void *ctx, const char *ext_id)
{
	strs_add(ctx, ext_id);
	return 0;
}

/* the batch as the store has it; *revealed_at NULL while it is blind */
static int batch_read(store *st, const char *name, struct sbatch *b, char **revealed_at, struct gs_err *e)
{
	struct store_batch sb;
	char **raters = NULL;
	memset(b, 0, sizeof *b);
	*revealed_at = NULL;
	if (store_batch_info(st, name, &sb, e)) return e->code;
	b->name = xstrdup(sb.name);
	b->rubric = xstrdup(sb.rubric);
	b->stratify = sb.stratify ? xstrdup(sb.stratify) : NULL;
	b->created_at = xstrdup(sb.created_at);
	b->at = xstrdup(sb.at ? sb.at : sb.created_at);
	b->seed = sb.seed;
	b->round = sb.round;
	*revealed_at = sb.revealed_at ? xstrdup(sb.revealed_at) : NULL;
	store_batch_free(&sb);
	int rc = store_batch_raters(st, name, &raters, e) || store_batch_items_each(st, name, add_item, &b->items, e);
	for (size_t i = 0; raters && raters[i]; i++) strs_add(&b->raters, raters[i]);
	if (raters) strv_free(raters);
	if (rc) {
		sbatch_free(b);
		free(*revealed_at);
		*revealed_at = NULL;
		return e->code;
	}
	return 0;
}

static int batch_write(store *st, const struct sbatch *b, const char *revealed_at, struct gs_err *e)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < strs_n(&b->raters); i++) cJSON_AddItemToArray(a, cJSON_CreateString(strs_v(&b->raters)[i]));
	char *raters = json_line(a);
	struct store_batch sb = {.name = b->name, .rubric = b->rubric, .raters = raters, .stratify = b->stratify,
				 .created_at = b->created_at, .at = b->at, .revealed_at = revealed_at, .seed = b->seed,
				 .round = (int)b->round};
	int rc = store_batch_put(st, &sb, strs_v(&b->items), strs_n(&b->items), e);
	free(raters);
	return rc;
}

/* ---- writing files ---- */

struct file { char *rel; struct sbuf data; };
static struct file *file_at(GArray *fs, size_t i) { return &g_array_index(fs, struct file, i); }

static struct sbuf *file_new(GArray *fs, char *rel)
{
	struct file f = {rel, {0}};
	g_array_append_val(fs, f);
	return &file_at(fs, fs->len - 1)->data;
}

static void files_free(GArray *fs)
{
	for (size_t i = 0; i < fs->len; i++) {
		free(file_at(fs, i)->rel);
		sb_free(&file_at(fs, i)->data);
	}
	g_array_free(fs, TRUE);
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct file *)a)->rel, ((const struct file *)b)->rel);
}

static void add_line(struct sbuf *b, char *line)
{
	sb_add(b, line);
	sb_addc(b, '\n');
	free(line);
}

/* "DIR/NAME.jsonl", NAME escaped; NULL (e filled) when too long for a file name */
static char *rel_of(const char *dir, const char *name, const char *what, struct gs_err *e)
{
	char *f = labelline_file_name(name), *rel = NULL;
	if (strlen(f) + 6 > NAME_MAX)
		gs_fail(e, EX_DATAERR, "%s name \"%.40s...\" is too long for a file name under %s", what, name, dir);
	else
		rel = xasprintf("%s%s.jsonl", dir, f);
	free(f);
	return rel;
}

static int batch_name(void *ctx, const struct store_batch *b)
{
	strs_add(ctx, b->name);
	return 0;
}

static int batch_files(store *st, GArray *fs, struct gs_err *e)
{
	struct strs names = {0};
	int rc = store_batches_each(st, NULL, batch_name, &names, e);
	for (size_t i = 0; !rc && i < strs_n(&names); i++) {
		struct sbatch b;
		const char *name = strs_v(&names)[i];
		char *revealed_at, *rel = rel_of("batches/", name, "calibration batch", e);
		if (!rel || batch_read(st, name, &b, &revealed_at, e)) {
			free(rel);
			rc = e->code;
			break;
		}
		struct sbuf *data = file_new(fs, rel);
		add_line(data, batch_line(&b, b.at));
		if (revealed_at) add_line(data, revealed_line(b.at, revealed_at));
		sbatch_free(&b);
		free(revealed_at);
	}
	strs_free(&names);
	return rc;
}

/* rows come grouped by file (rubric or session), in key order within it */
struct grouped {
	GArray *fs;               /* struct file */
	struct sbuf *cur;
	char *group;
	struct gs_err *e;
	int rc;
};

static int group_to(struct grouped *g, const char *dir, const char *name, const char *what)
{
	if (g->group && strcmp(g->group, name) == 0) return 0;
	char *rel = rel_of(dir, name, what, g->e);
	if (!rel) return g->rc = g->e->code;
	free(g->group);
	g->group = xstrdup(name);
	g->cur = file_new(g->fs, rel);
	return 0;
}

static int consensus_row(void *ctx, const struct store_consensus *c)
{
	struct grouped *g = ctx;
	if (group_to(g, "consensus/", c->rubric, "rubric")) return 1;
	char *line = consensus_line(c);
	if (!line) {
		g->rc = gs_fail(g->e, EX_DATAERR, "store: the consensus value of %s (%s) under rubric %s is not JSON",
				c->ext_id, c->criterion, c->rubric);
		return 1;
	}
	add_line(g->cur, line);
	return 0;
}

static int review_row(void *ctx, const struct store_review *r)
{
	struct grouped *g = ctx;
	if (group_to(g, "reviews/", r->session, "review session")) return 1;
	char *line = review_line(r);
	if (!line) {
		g->rc = gs_fail(g->e, EX_DATAERR, "store: the tags of %s in review session %s are not JSON", r->ext_id,
				r->session);
		return 1;
	}
	add_line(g->cur, line);
	return 0;
}

int shared_files_each(struct ws *w, shared_file_fn fn, void *ctx, struct gs_err *e)
{
	GArray *fs = g_array_new(FALSE, FALSE, sizeof(struct file));
	struct grouped gc = {.fs = fs, .e = e}, gr = {.fs = fs, .e = e};
	int rc = batch_files(w->st, fs, e);
	if (!rc) rc = store_consensus_lines_each(w->st, consensus_row, &gc, e) || gc.rc ? e->code : 0;
	if (!rc) rc = store_review_lines_each(w->st, review_row, &gr, e) || gr.rc ? e->code : 0;
	free(gc.group);
	free(gr.group);
	if (!rc) g_array_sort(fs, cmp_file);
	for (size_t i = 0; !rc && i < fs->len; i++) {
		const struct file *f = file_at(fs, i);
		rc = fn(ctx, f->rel, f->data.p ? f->data.p : "", f->data.len);
	}
	files_free(fs);
	return rc;
}

/* ---- reading a file ---- */

struct pctx { const char *rel; long no; struct gs_err *e; };

static int bad(struct pctx *p, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(struct pctx *p, const char *field, const char *fmt, ...)
{
	char what[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (p->no) return gs_fail(p->e, EX_DATAERR, "%s:%ld: %s (%s)", p->rel, p->no, what, field);
	return gs_fail(p->e, EX_DATAERR, "%s: %s (%s)", p->rel, what, field);
}

/* one line through the one validator (jsoncheck.h): NUL, invalid UTF-8,
 * numbers a double cannot keep, duplicate keys and bad names refused */
static cJSON *parse_object(struct pctx *p, const char *s, size_t n)
{
	static const char *const names[] = {"id", "name", "rubric", "raters[]", "items[]", "criterion", "kind",
					    "stratify", "session", NULL};
	struct jc_error je;
	cJSON *o = jsoncheck_parse(s, n, names, &je);
	if (!o && je.syntax) {
		bad(p, "line", "invalid JSON at column %zu", je.off + 1);
		return NULL;
	}
	if (!o) {
		bad(p, je.field[0] ? je.field : "line", "%s", je.what);
		return NULL;
	}
	if (!cJSON_IsObject(o)) {
		bad(p, "line", "a line must be a JSON object");
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* a string member; need: present and not empty */
static int get_str(struct pctx *p, cJSON *o, const char *k, int need, const char **out)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	*out = NULL;
	if (!v || cJSON_IsNull(v)) return need ? bad(p, k, "missing %s", k) : 0;
	if (!cJSON_IsString(v)) return bad(p, k, "%s must be a string", k);
	if (need && !*v->valuestring) return bad(p, k, "%s must not be empty", k);
	*out = xstrdup(v->valuestring);
	return 0;
}

static int get_int(struct pctx *p, cJSON *o, const char *k, long long lo, long long hi, long long *out)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	if (!v) return bad(p, k, "missing %s", k);
	double d = cJSON_IsNumber(v) ? v->valuedouble : -1.0;
	if (!cJSON_IsNumber(v) || !(d >= (double)lo && d <= (double)hi) || d != (double)(long long)d)
		return bad(p, k, "%s must be a whole number from %lld to %lld", k, lo, hi);
	*out = (long long)d;
	return 0;
}

static int get_at(struct pctx *p, cJSON *o, const char *k, const char **out)
{
	if (get_str(p, o, k, 1, out)) return p->e->code;
	if (gs_at_ms(*out) >= 0) return 0;
	free((char *)*out);
	*out = NULL;
	return bad(p, k, "%s must be a UTC time like 2026-12-06T23:05:01.123Z", k);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* an array of non-empty strings, at least min of them, all different */
static int get_strs(struct pctx *p, cJSON *o, const char *k, size_t min, const char *what, struct strs *out)
{
	cJSON *a = cJSON_GetObjectItemCaseSensitive(o, k), *v;
	if (!cJSON_IsArray(a)) return bad(p, k, "%s must be %s", k, what);
	cJSON_ArrayForEach(v, a) {
		if (!cJSON_IsString(v) || !*v->valuestring) return bad(p, k, "%s must be %s", k, what);
		strs_add(out, v->valuestring);
	}
	size_t n = strs_n(out);
	if (n < min) return bad(p, k, "%s must be %s", k, what);
	char **sorted = xmalloc((n + 1) * sizeof *sorted);
	if (n) memcpy(sorted, strs_v(out), n * sizeof *sorted);
	if (n > 1) qsort(sorted, n, sizeof *sorted, cmp_str);
	const char *dup = NULL;
	for (size_t i = 1; i < n && !dup; i++)
		if (strcmp(sorted[i - 1], sorted[i]) == 0) dup = sorted[i];
	int rc = dup ? bad(p, k, "%s lists \"%s\" twice", k, dup) : 0;
	free(sorted);
	return rc;
}

/* a name given in a line must be the one the file is named after */
static int name_is(struct pctx *p, const char *k, const char *value, const char *fname, size_t flen)
{
	char *f = labelline_file_name(value);
	int same = strlen(f) == flen && memcmp(f, fname, flen) == 0;
	free(f);
	return same ? 0 : bad(p, k, "%s \"%s\" does not belong in %s", k, value, p->rel);
}

/* One checked line of a file. */
struct rec {
	long no;
	int revealed;                 /* batches: the "revealed" line (batch_at, at), else the "batch" line (b) */
	const char *batch_at, *at;
	struct sbatch b;
	struct store_consensus c;     /* malloc'd strings */
	struct store_review r;        /* malloc'd strings */
};

static void rec_free(struct rec *r)
{
	free((char *)r->batch_at);
	free((char *)r->at);
	sbatch_free(&r->b);
	store_consensus_free(&r->c);
	store_review_free(&r->r);
}

static int parse_batch(struct pctx *p, cJSON *o, const char *fname, size_t flen, struct rec *r)
{
	const char *kind;
	if (get_str(p, o, "kind", 1, &kind)) return p->e->code;
	int is_batch = strcmp(kind, "batch") == 0, is_revealed = strcmp(kind, "revealed") == 0;
	free((char *)kind);
	if (is_revealed) {
		r->revealed = 1;
		return get_at(p, o, "batch_at", &r->batch_at) || get_at(p, o, "at", &r->at) ? p->e->code : 0;
	}
	if (!is_batch) return bad(p, "kind", "kind must be \"batch\" or \"revealed\"");
	struct sbatch *b = &r->b;
	const char *name, *rubric, *stratify, *created_at, *at;
	int rc = get_str(p, o, "name", 1, &name);
	b->name = (char *)name;
	if (!rc) rc = name_is(p, "name", name, fname, flen);
	if (!rc) rc = get_str(p, o, "rubric", 1, &rubric);
	if (!rc) b->rubric = (char *)rubric;
	if (!rc) rc = get_strs(p, o, "raters", 2, "a list of two or more different names", &b->raters);
	if (!rc) rc = get_strs(p, o, "items", 0, "a list of different item ids", &b->items);
	if (!rc) rc = get_int(p, o, "seed", 0, MAX_SEED, &b->seed);
	if (!rc) rc = get_str(p, o, "stratify", 0, &stratify);
	if (!rc) b->stratify = (char *)stratify;
	if (!rc) rc = get_int(p, o, "round", 1, MAX_ROUND, &b->round);
	if (!rc) rc = get_at(p, o, "created_at", &created_at);
	if (!rc) b->created_at = (char *)created_at;
	if (!rc) rc = get_at(p, o, "at", &at);
	if (!rc) b->at = (char *)at;
	return rc;
}

static int parse_consensus(struct pctx *p, cJSON *o, const char *fname, size_t flen, struct rec *r)
{
	struct store_consensus *c = &r->c;
	long long version;
	int rc = get_str(p, o, "id", 1, &c->ext_id) || get_str(p, o, "rubric", 1, &c->rubric) ||
		 name_is(p, "rubric", c->rubric, fname, flen) ||
		 get_int(p, o, "rubric_version", 0, INT_MAX, &version) || get_str(p, o, "criterion", 1, &c->criterion);
	if (rc) return p->e->code;
	c->rubric_version = (int)version;
	cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "value");
	if (!v) return bad(p, "value", "missing value (null withdraws one)");
	char *text = cJSON_PrintUnformatted(v);
	c->value = text_json_safe(text);
	cJSON_free(text);
	rc = get_str(p, o, "cause", 0, &c->cause) || get_str(p, o, "note", 0, &c->note) ||
	     get_str(p, o, "source", 1, &c->source) || get_at(p, o, "at", &c->at);
	return rc ? p->e->code : 0;
}

static int parse_review(struct pctx *p, cJSON *o, const char *fname, size_t flen, struct rec *r)
{
	struct store_review *v = &r->r;
	int rc = get_str(p, o, "id", 1, &v->ext_id) || get_str(p, o, "session", 1, &v->session) ||
		 name_is(p, "session", v->session, fname, flen) || get_str(p, o, "rubric", 0, &v->rubric);
	if (rc) return p->e->code;
	cJSON *tags = cJSON_GetObjectItemCaseSensitive(o, "tags"), *t;
	if (tags && !cJSON_IsNull(tags)) {
		int ok = cJSON_IsArray(tags);
		cJSON_ArrayForEach(t, tags) ok &= cJSON_IsString(t);
		if (!ok) return bad(p, "tags", "tags must be a list of strings or null");
		char *text = cJSON_PrintUnformatted(tags);
		v->tags = text_json_safe(text);
		cJSON_free(text);
	}
	rc = get_str(p, o, "note", 0, &v->note) || get_at(p, o, "at", &v->at);
	return rc ? p->e->code : 0;
}

/* every line of the file, checked: BOM skipped, CR before LF dropped, blank lines left out */
static int parse_file(struct pctx *p, enum kind k, const char *fname, size_t flen, const char *data, size_t len,
		      struct rec **out, size_t *nout)
{
	GArray *recs = g_array_new(FALSE, TRUE, sizeof(struct rec));
	int rc = 0, any_batch = 0;
	size_t pos = len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	for (p->no = 1; pos < len && !rc; p->no++) {
		const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
		size_t n_line = nl ? (size_t)(nl - s) : len - pos;
		pos += n_line + 1;
		if (n_line && s[n_line - 1] == '\r') n_line--;
		size_t blank = 0;
		while (blank < n_line && (s[blank] == ' ' || s[blank] == '\t')) blank++;
		if (blank == n_line) continue;
		cJSON *o = parse_object(p, s, n_line);
		if (!o) {
			rc = p->e->code;
			break;
		}
		g_array_set_size(recs, recs->len + 1);   /* cleared */
		struct rec *r = &g_array_index(recs, struct rec, recs->len - 1);
		r->no = p->no;
		rc = k == K_BATCH ? parse_batch(p, o, fname, flen, r) : k == K_CONSENSUS ? parse_consensus(p, o, fname, flen, r)
									 : parse_review(p, o, fname, flen, r);
		any_batch |= k == K_BATCH && !r->revealed;
		cJSON_Delete(o);
	}
	if (!rc && k == K_BATCH && !any_batch) {
		p->no = 0;
		rc = bad(p, "kind", "no \"batch\" line");
	}
	*nout = recs->len;
	*out = (struct rec *)(void *)g_array_free(recs, FALSE);
	return rc;
}

/* ---- applying lines ---- */

/* > 0 when the line (time at, canonical text line) beats the store's (cur_at, cur_line) */
static int newer(const char *at, const char *line, const char *cur_at, const char *cur_line)
{
	int c = at_cmp(at, cur_at);
	return c ? c : strcmp(line, cur_line);
}

static int apply_batch(store *st, const char *rel, const struct sbatch *in, struct strs *notes, struct gs_err *e)
{
	struct sbatch cur;
	char *revealed_at;
	struct gs_err probe = {0};
	int rc = batch_read(st, in->name, &cur, &revealed_at, &probe);
	if (rc == EX_NOINPUT) return batch_write(st, in, NULL, e);   /* blind until a revealed line says otherwise */
	if (rc) {
		*e = probe;
		return rc;
	}
	char *a = batch_line(in, in->at), *b = batch_line(&cur, cur.at);
	char *ca = batch_line(in, NULL), *cb = batch_line(&cur, NULL);
	int wins = newer(in->at, a, cur.at, b) > 0, differs = strcmp(ca, cb) != 0;
	/* another batch replacing this one is blind: only its own revealed line opens it */
	if (wins) rc = batch_write(st, in, differs ? NULL : revealed_at, e);
	if (!rc && differs) {
		char *note = wins ? xasprintf("%s: two calibration batches named \"%s\" differ (started twice?): the "
					      "shared one (at %s) is newer and replaces this workspace's (at %s)",
					      rel, in->name, in->at, cur.at)
				  : xasprintf("%s: two calibration batches named \"%s\" differ (started twice?): this "
					      "workspace's (at %s) is newer and is kept; the shared one (at %s) is not",
					      rel, in->name, cur.at, in->at);
		strs_add(notes, note);
		free(note);
	}
	free(a);
	free(b);
	free(ca);
	free(cb);
	free(revealed_at);
	sbatch_free(&cur);
	return rc;
}

/* a revealed line counts for the batch it was written with (batch_at is
 * the store's batch at): a later time than the store's, or its first */
static int apply_revealed(store *st, const char *name, const char *batch_at, const char *at, struct gs_err *e)
{
	struct store_batch sb;
	if (store_batch_info(st, name, &sb, e)) return e->code;
	int rc = 0;
	if (!sb.at || strcmp(sb.at, batch_at) != 0) {
		/* it opened another batch of the name, which lost to this one */
	} else if (!sb.revealed_at) {
		rc = store_batch_reveal_at(st, name, at, e);
	} else {
		char *a = revealed_line(batch_at, at), *b = revealed_line(sb.at, sb.revealed_at);
		if (newer(at, a, sb.revealed_at, b) > 0) rc = store_batch_reveal_at(st, name, at, e);
		free(a);
		free(b);
	}
	store_batch_free(&sb);
	return rc;
}

static int apply_consensus(store *st, const struct store_consensus *in, struct gs_err *e)
{
	struct store_consensus cur;
	struct gs_err probe = {0};
	int rc = store_consensus_current(st, in->rubric, in->ext_id, in->criterion, &cur, &probe);
	if (rc == EX_NOINPUT) return store_consensus_add(st, in, e);
	if (rc) {
		*e = probe;
		return rc;
	}
	char *a = consensus_line(in), *b = consensus_line(&cur);
	/* a store value that is not JSON (it never is) loses to any line */
	if (!b || newer(in->at, a, cur.at, b) > 0) rc = store_consensus_add(st, in, e);
	free(a);
	free(b);
	store_consensus_free(&cur);
	return rc;
}

static int apply_review(store *st, const struct store_review *in, struct gs_err *e)
{
	struct store_review cur;
	struct gs_err probe = {0};
	int rc = store_review_current(st, in->ext_id, in->session, &cur, &probe);
	if (rc == EX_NOINPUT) return store_review_add(st, in, e);
	if (rc) {
		*e = probe;
		return rc;
	}
	char *a = review_line(in), *b = review_line(&cur);
	if (!b || newer(in->at, a, cur.at, b) > 0) rc = store_review_add(st, in, e);
	free(a);
	free(b);
	store_review_free(&cur);
	return rc;
}

static int apply(store *st, const char *rel, enum kind k, const struct rec *recs, size_t n, struct strs *notes,
		 struct gs_err *e)
{
	const char *batch = NULL;   /* the batch the file is about (every batch line names it) */
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		const struct rec *r = &recs[i];
		if (k == K_CONSENSUS) rc = apply_consensus(st, &r->c, e);
		else if (k == K_REVIEW) rc = apply_review(st, &r->r, e);
		else if (!r->revealed) rc = apply_batch(st, rel, &r->b, notes, e);
		if (k == K_BATCH && !r->revealed) batch = r->b.name;
	}
	/* revealed after the batch lines, so the batch exists whatever the order of lines */
	for (size_t i = 0; k == K_BATCH && i < n && !rc; i++)
		if (recs[i].revealed) rc = apply_revealed(st, batch, recs[i].batch_at, recs[i].at, e);
	return rc;
}

int shared_file_load(struct ws *w, const char *rel, const char *data, size_t len, struct gs_err *e)
{
	const char *fname;
	size_t flen;
	enum kind k = kind_of(rel, &fname, &flen);
	if (k == K_NONE)
		return gs_fail(e, EX_DATAERR, "%s: not a file goldset shares (batches/NAME.jsonl, consensus/RUBRIC.jsonl, "
			       "reviews/SESSION.jsonl)", rel ? rel : "(null)");
	struct pctx p = {rel, 0, e};
	struct rec *recs = NULL;
	size_t n = 0;
	struct strs notes = {0};
	int rc = parse_file(&p, k, fname, flen, data ? data : "", data ? len : 0, &recs, &n);
	int own = !rc && !store_in_tx(w->st);
	if (own) rc = store_begin(w->st, e);
	if (!rc) rc = apply(w->st, rel, k, recs, n, &notes, e);
	if (own && !rc) rc = store_commit(w->st, e);
	else if (own) store_rollback(w->st);
	for (size_t i = 0; !rc && i < strs_n(&notes); i++) {   /* said once the store has it */
		char *x = text_escape(strs_v(&notes)[i]);
		fprintf(stderr, "goldset: %s\n", x);
		free(x);
	}
	strs_free(&notes);
	for (size_t i = 0; i < n; i++) rec_free(&recs[i]);
	g_free(recs);
	return rc;
}
