/* presets.c: promptfoo, Inspect and OpenAI Evals result files turned into
 * goldset's item lines and label lines (the rules are in presets.h).
 *
 * Each preset walks its records and fills, per record, one item object in
 * goldset's shape and one object of scores {GRADER: {pass, score, letter,
 * reason}}; preset_items prints the first, preset_labels turns the second
 * into a label line through the rubric and the --map. Lines are found only
 * when something is wrong (jsoncheck_locate scans the text again). */
#include "model/presets.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/text.h"
#include "model/jsoncheck.h"

int preset_parse(const char *name, enum preset *out)
{
	static const char *const names[] = {"jsonl", "promptfoo", "inspect", "openai-evals"};
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (strcmp(name, names[i]) == 0) {
			*out = (enum preset)i;
			return 0;
		}
	return -1;
}

static void rec_free(gpointer p)
{
	struct preset_rec *r = p;
	free(r->json);
	free(r->path);
	free(r);
}

GPtrArray *preset_recs_new(void) { return g_ptr_array_new_with_free_func(rec_free); }

static long line_at(const char *text, size_t len, long off)
{
	long line = 1;
	for (long i = 0; i < off && (size_t)i < len; i++) line += text[i] == '\n';
	return line;
}

void preset_rec_where(const struct preset_rec *r, const char *file, const char *text, size_t len, char *where,
		      size_t n)
{
	long line = r->line ? r->line : line_at(text, len, jsoncheck_locate(text, len, r->path));
	snprintf(where, n, "%s:%ld", file, line);
}

/* ---- --map GRADER=CRITERION ---- */

int preset_map_parse(const char *spec, struct preset_map *m, struct gs_err *e)
{
	char **parts = split_list(spec, ',');
	int rc = 0;
	for (char **p = parts; *p && !rc; p++) {
		char *eq = strchr(*p, '='), why[96];
		if (eq) *eq = 0;
		if (!eq || !**p || !eq[1] || m->n >= PRESET_MAP_MAX)
			rc = gs_fail(e, EX_USAGE, "--map: \"%s\" is not GRADER=CRITERION (at most %d)", *p,
				     PRESET_MAP_MAX);
		else if (jsoncheck_name(eq + 1, strlen(eq + 1), why))
			rc = gs_fail(e, EX_USAGE, "--map: \"%s\" cannot be a criterion name", eq + 1);
		else {
			m->grader[m->n] = xstrdup(*p);
			m->crit[m->n++] = xstrdup(eq + 1);
		}
	}
	strv_free(parts);
	return rc;
}

void preset_map_free(struct preset_map *m)
{
	for (int i = 0; i < m->n; i++) {
		free(m->grader[i]);
		free(m->crit[i]);
	}
	memset(m, 0, sizeof *m);
}

/* ---- reading records ---- */

struct src {
	enum preset p;
	const char *file, *text;
	size_t len;
	struct gs_err *e;
};

/* one record as goldset sees it */
struct rec {
	char *key, *system;       /* the id is key@system */
	cJSON *input;             /* borrowed or owned (owned_input) */
	int owned_input;
	char *output, *reference;
	cJSON *meta;              /* owned */
	cJSON *scores;            /* owned: {GRADER: {pass, score, letter, reason}} */
	char path[128];           /* where it is (jsoncheck path), or line > 0 */
	long line;
};

static void rec_clear(struct rec *r)
{
	free(r->key);
	free(r->system);
	if (r->owned_input) cJSON_Delete(r->input);
	free(r->output);
	free(r->reference);
	cJSON_Delete(r->meta);
	cJSON_Delete(r->scores);
	memset(r, 0, sizeof *r);
}

static cJSON *get(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k); }

static const char *str_of(const cJSON *o, const char *k)
{
	cJSON *v = get(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* "FILE:LINE: what (field)" with the line of the record's field */
static int bad(struct src *s, const struct rec *r, const char *field, const char *what)
{
	char path[300];
	long line = r->line;
	snprintf(path, sizeof path, "%s%s%s", r->path, *r->path && *field ? "." : "", field);
	if (!line) {   /* the field, else the nearest value around it that is there */
		char at[300];
		long off = -1;
		snprintf(at, sizeof at, "%s", path);
		while ((off = jsoncheck_locate(s->text, s->len, at)) < 0 && *at) {
			char *cut = strrchr(at, '.'), *br = strrchr(at, '[');
			if (br > cut) cut = br;
			if (cut) *cut = 0;
			else at[0] = 0;
		}
		line = line_at(s->text, s->len, off < 0 ? 0 : off);
	}
	return gs_fail(s->e, EX_DATAERR, "%s:%ld: %s (%s)", s->file, line, what, path);
}

/* a number or string id as text */
static char *key_text(const cJSON *v)
{
	if (cJSON_IsString(v) && v->valuestring[0]) return xstrdup(v->valuestring);
	if (cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) && fabs(v->valuedouble) < 9e15)
		return xasprintf("%lld", (long long)v->valuedouble);
	return NULL;
}

/* a message content: a string, or parts of which the text ones are kept
 * (attachment:// references resolved from att) */
static char *content_text(const cJSON *c, const cJSON *att)
{
	if (cJSON_IsString(c)) {
		const char *s = c->valuestring;
		const char *a = strncmp(s, "attachment://", 13) == 0 ? str_of(att, s + 13) : NULL;
		return xstrdup(a ? a : s);
	}
	if (!cJSON_IsArray(c)) return NULL;
	struct sbuf b = {0};
	const cJSON *p;
	cJSON_ArrayForEach(p, c) {
		const char *t = str_of(p, "text");
		if (!t) continue;
		if (b.len) sb_addc(&b, '\n');
		sb_add(&b, t);
	}
	return sb_take(&b);
}

static void score_add(struct rec *r, const char *grader, int pass, double score, const char *letter,
		      const char *reason)
{
	if (!r->scores) r->scores = cJSON_CreateObject();
	cJSON *g = cJSON_CreateObject();
	if (pass >= 0) cJSON_AddBoolToObject(g, "pass", pass);
	if (!isnan(score)) cJSON_AddNumberToObject(g, "score", score);
	if (letter) cJSON_AddStringToObject(g, "letter", letter);
	if (reason && *reason) cJSON_AddStringToObject(g, "reason", reason);
	cJSON_DeleteItemFromObjectCaseSensitive(r->scores, grader);   /* the last of one name counts */
	cJSON_AddItemToObject(r->scores, grader, g);
}

/* ---- promptfoo: {"results": {"results": [EvaluateResult...]}} ---- */

static int pf_scores(struct rec *r, const cJSON *res)
{
	const cJSON *gr = get(res, "gradingResult"), *c;
	cJSON_ArrayForEach(c, get(gr, "componentResults")) {
		const cJSON *as = get(c, "assertion"), *sc = get(c, "score");
		const char *name = str_of(as, "metric") ? str_of(as, "metric") : str_of(as, "type");
		if (!name) continue;
		score_add(r, name, cJSON_IsBool(get(c, "pass")) ? cJSON_IsTrue(get(c, "pass")) : -1,
			  cJSON_IsNumber(sc) ? sc->valuedouble : NAN, NULL, str_of(c, "reason"));
	}
	return 0;
}

/* which of the run's distinct prompts (by id, in column order) res used:
 * 1, 2, ...; 0 when the run had only one */
static int pf_prompt_number(const cJSON *root, const cJSON *res)
{
	const cJSON *cols = get(get(root, "results"), "prompts"), *c, *d;
	const char *mine = str_of(res, "promptId");
	int n = 0, at = 0;
	cJSON_ArrayForEach(c, cols) {
		const char *id = str_of(c, "id");
		int seen = 0;
		for (d = cols ? cols->child : NULL; d != c && id; d = d->next)
			seen |= str_of(d, "id") && strcmp(str_of(d, "id"), id) == 0;
		if (!id || seen) continue;
		n++;
		if (mine && strcmp(mine, id) == 0) at = n;
	}
	return n > 1 ? at : 0;
}

static int pf_record(struct src *s, const cJSON *root, const cJSON *res, struct rec *r)
{
	const cJSON *prov = get(res, "provider"), *ti = get(res, "testIdx");
	const char *sys = str_of(prov, "label") && *str_of(prov, "label") ? str_of(prov, "label")
		: str_of(prov, "id") ? str_of(prov, "id") : cJSON_IsString(prov) ? prov->valuestring : NULL;
	if (!sys || !*sys) return bad(s, r, "provider.id", "no provider id or label");
	if (!cJSON_IsNumber(ti) || ti->valuedouble < 0 || ti->valuedouble >= 1e9 || ti->valuedouble != floor(ti->valuedouble))
		return bad(s, r, "testIdx", "no test number (a whole number from 0)");
	int p = pf_prompt_number(root, res);
	r->key = p > 0 ? xasprintf("%d.p%d", (int)ti->valuedouble + 1, p) : xasprintf("%d", (int)ti->valuedouble + 1);
	r->system = xstrdup(sys);
	r->input = get(get(res, "prompt"), "raw");
	if (!cJSON_IsString(r->input)) return bad(s, r, "prompt.raw", "no prompt text");
	const cJSON *out = get(get(res, "response"), "output");
	if (cJSON_IsString(out)) r->output = xstrdup(out->valuestring);
	else if (out && !cJSON_IsNull(out)) r->output = cJSON_PrintUnformatted(out);
	else return bad(s, r, "response.output", str_of(res, "error") ? "no output: the provider failed" : "no output");
	return pf_scores(r, res);
}

/* ---- Inspect: {"eval": {...}, "samples": [EvalSample...]} ---- */

static int in_input(struct src *s, const cJSON *smp, struct rec *r)
{
	const cJSON *in = get(smp, "input"), *att = get(smp, "attachments"), *m;
	if (cJSON_IsString(in)) {
		char *t = content_text(in, att);
		r->input = cJSON_CreateString(t);
		r->owned_input = 1;
		free(t);
		return 0;
	}
	if (!cJSON_IsArray(in)) return bad(s, r, "input", "input must be a string or a list of messages");
	r->input = cJSON_CreateArray();
	r->owned_input = 1;
	cJSON_ArrayForEach(m, in) {
		char *t = content_text(get(m, "content"), att);
		if (!t || !str_of(m, "role")) {
			free(t);
			return bad(s, r, "input", "a message needs a role and a text content");
		}
		cJSON *turn = cJSON_CreateObject();
		cJSON_AddStringToObject(turn, "role", str_of(m, "role"));
		cJSON_AddStringToObject(turn, "content", t);
		cJSON_AddItemToArray(r->input, turn);
		free(t);
	}
	return 0;
}

static int in_scores(const cJSON *smp, struct rec *r)
{
	const cJSON *sc;
	cJSON_ArrayForEach(sc, get(smp, "scores")) {
		const cJSON *v = get(sc, "value");
		const char *why = str_of(sc, "explanation");
		if (cJSON_IsBool(v)) score_add(r, sc->string, cJSON_IsTrue(v), NAN, NULL, why);
		else if (cJSON_IsNumber(v)) score_add(r, sc->string, -1, v->valuedouble, NULL, why);
		else if (cJSON_IsString(v) && strlen(v->valuestring) == 1 && strchr("CIPN", v->valuestring[0]))
			score_add(r, sc->string, -1, NAN, v->valuestring, why);
		else   /* a dict, a list, another text: an error only if it is mapped (value_of) */
			score_add(r, sc->string, -1, NAN, "?", why);
	}
	return 0;
}

static int in_record(struct src *s, const cJSON *root, const cJSON *smp, struct rec *r)
{
	const cJSON *ep = get(smp, "epoch"), *choice = cJSON_GetArrayItem(get(get(smp, "output"), "choices"), 0);
	char *key = key_text(get(smp, "id"));
	if (!key) return bad(s, r, "id", "a sample needs an id");
	if (ep && (!cJSON_IsNumber(ep) || ep->valuedouble < 1 || ep->valuedouble >= 1e9 || ep->valuedouble != floor(ep->valuedouble))) {
		free(key);
		return bad(s, r, "epoch", "an epoch is a whole number from 1");
	}
	r->key = ep && ep->valuedouble > 1 ? xasprintf("%s#%d", key, (int)ep->valuedouble) : xstrdup(key);
	free(key);
	const char *model = str_of(get(root, "eval"), "model");
	if (!model || !*model) return bad(s, r, "eval.model", "no model");
	r->system = xstrdup(model);
	if (in_input(s, smp, r)) return s->e->code;
	r->output = content_text(get(get(choice, "message"), "content"), get(smp, "attachments"));
	if (!r->output) return bad(s, r, "output.choices[0].message.content", "no output");
	const cJSON *tg = get(smp, "target");
	if (cJSON_IsArray(tg)) tg = cJSON_GetArrayItem(tg, 0);
	if (cJSON_IsString(tg) && *tg->valuestring) r->reference = xstrdup(tg->valuestring);
	const char *task = str_of(get(root, "eval"), "task");
	if (task) cJSON_AddStringToObject(r->meta, "task", task);
	return in_scores(smp, r);
}

/* ---- OpenAI Evals record log: a spec line, then sampling and match events ---- */

static cJSON *oe_first(const cJSON *v) { return cJSON_IsArray(v) ? cJSON_GetArrayItem(v, 0) : (cJSON *)v; }

/* sample_id -> its last match event (a line with data.correct) */
static GHashTable *oe_matches(const cJSON *lines)
{
	GHashTable *h = g_hash_table_new(gs_str_hash, gs_str_equal);
	const cJSON *o;
	cJSON_ArrayForEach(o, lines) {
		const char *id = str_of(o, "sample_id");
		if (id && str_of(o, "type") && cJSON_IsBool(get(get(o, "data"), "correct")))
			g_hash_table_insert(h, (gpointer)id, (gpointer)o);
	}
	return h;
}

static int oe_record(struct src *s, GHashTable *matches, const cJSON *ev, const char *system, struct rec *r)
{
	const cJSON *d = get(ev, "data"), *in = get(d, "prompt"), *out = oe_first(get(d, "sampled"));
	r->key = key_text(get(ev, "sample_id"));
	if (!r->key) return bad(s, r, "sample_id", "a sampling event needs a sample_id");
	r->system = xstrdup(system);
	r->input = (cJSON *)in;
	if (!cJSON_IsString(in) && !cJSON_IsArray(in)) return bad(s, r, "data.prompt", "no prompt");
	if (!cJSON_IsString(out)) return bad(s, r, "data.sampled", "no sampled output");
	r->output = xstrdup(out->valuestring);
	const cJSON *m = g_hash_table_lookup(matches, r->key);   /* the match event of the same sample */
	if (m) {
		const cJSON *md = get(m, "data"), *exp = oe_first(get(md, "expected"));
		if (cJSON_IsString(exp)) r->reference = xstrdup(exp->valuestring);
		score_add(r, str_of(m, "type"), cJSON_IsTrue(get(md, "correct")), NAN, NULL, NULL);
	}
	return 0;
}

/* ---- the records of each preset ---- */

typedef int (*rec_fn)(void *ctx, struct src *s, struct rec *r);

static void rec_begin(struct rec *r, const char *path, long i, long line)
{
	memset(r, 0, sizeof *r);
	if (*path) snprintf(r->path, sizeof r->path, "%s[%ld]", path, i);
	r->line = line;
	r->meta = cJSON_CreateObject();
}

static int json_fail(struct src *s, const struct jc_error *je, long line0)
{
	long line = line0 ? line0 : line_at(s->text, s->len, (long)je->off);
	if (je->syntax) return gs_fail(s->e, EX_DATAERR, "%s:%ld: invalid JSON (line)", s->file, line);
	return gs_fail(s->e, EX_DATAERR, "%s:%ld: %s (%s)", s->file, line, je->what, je->field[0] ? je->field : "line");
}

static int walk_doc(enum preset p, struct src *s, rec_fn fn, void *ctx)
{
	struct jc_error je;
	if (p == PRESET_INSPECT && s->len >= 2 && memcmp(s->text, "PK", 2) == 0)
		return gs_fail(s->e, EX_DATAERR, "%s:1: an Inspect .eval file (a zip archive): convert it with "
			       "`inspect log convert --to json` (line)", s->file);
	cJSON *root = jsoncheck_parse(s->text, s->len, NULL, &je);
	if (!root) return json_fail(s, &je, 0);
	const cJSON *list = p == PRESET_PROMPTFOO ? get(get(root, "results"), "results") : get(root, "samples");
	const char *path = p == PRESET_PROMPTFOO ? "results.results" : "samples";
	int rc = 0;
	long i = 0;
	struct rec r;
	if (!cJSON_IsArray(list))
		rc = gs_fail(s->e, EX_DATAERR, "%s:1: not a%s: no %s array (%s)", s->file,
			     p == PRESET_PROMPTFOO ? " promptfoo output (eval -o out.json)" : "n Inspect JSON log (.json)",
			     path, path);
	const cJSON *x;
	cJSON_ArrayForEach(x, list) {
		if (rc) break;
		rec_begin(&r, path, i++, 0);
		rc = p == PRESET_PROMPTFOO ? pf_record(s, root, x, &r) : in_record(s, root, x, &r);
		if (!rc) rc = fn(ctx, s, &r);
		rec_clear(&r);
	}
	cJSON_Delete(root);
	return rc;
}

/* the JSONL lines as parsed values (a JSON array), the completion function of the spec line */
static int oe_lines(struct src *s, cJSON **lines, char **system)
{
	*lines = cJSON_CreateArray();
	*system = NULL;
	const char *p = s->text, *end = s->text + s->len;
	long n = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *stop = nl ? nl : end;
		size_t len = (size_t)(stop - p);
		n++;
		if (strspn(p, " \t\r") < len) {
			struct jc_error je;
			cJSON *v = jsoncheck_parse(p, len, NULL, &je);
			if (!v) return json_fail(s, &je, n);
			cJSON_AddNumberToObject(v, " line", (double)n);
			const cJSON *f = oe_first(get(get(v, "spec"), "completion_fns"));
			if (!*system && cJSON_IsString(f) && *f->valuestring) *system = xstrdup(f->valuestring);
			cJSON_AddItemToArray(*lines, v);
		}
		p = stop + 1;
	}
	return 0;
}

static int walk_oe(struct src *s, rec_fn fn, void *ctx)
{
	cJSON *lines, *v;
	char *system;
	int rc = oe_lines(s, &lines, &system);
	GHashTable *matches = oe_matches(lines);
	struct rec r;
	cJSON_ArrayForEach(v, lines) {
		if (rc) break;
		long line = (long)get(v, " line")->valuedouble;
		rec_begin(&r, "", 0, line);
		const char *type = str_of(v, "type");
		if (get(v, "input") && get(v, "ideal"))
			rc = bad(s, &r, "", "a samples line has no model output: import the run's record log "
				 "(oaieval --record_path)");
		else if (type && strcmp(type, "sampling") == 0 && !system)
			rc = bad(s, &r, "", "no spec line with completion_fns before the events");
		else if (type && strcmp(type, "sampling") == 0 && !(rc = oe_record(s, matches, v, system, &r)))
			rc = fn(ctx, s, &r);
		rec_clear(&r);
	}
	g_hash_table_destroy(matches);
	cJSON_Delete(lines);
	free(system);
	return rc;
}

static int walk(enum preset p, struct src *s, rec_fn fn, void *ctx)
{
	if (p == PRESET_OPENAI_EVALS) return walk_oe(s, fn, ctx);
	if (p == PRESET_PROMPTFOO || p == PRESET_INSPECT) return walk_doc(p, s, fn, ctx);
	return gs_fail(s->e, EX_USAGE, "%s: jsonl files are read line by line, not as a preset", s->file);
}

static void rec_push(GPtrArray *recs, const struct rec *r, cJSON *line)
{
	struct preset_rec *pr = xcalloc(1, sizeof *pr);
	char *s = cJSON_PrintUnformatted(line);
	if (!s) abort();
	pr->json = xstrdup(s);
	cJSON_free(s);
	pr->path = xstrdup(r->path);
	pr->line = r->line;
	g_ptr_array_add(recs, pr);
}

static char *rec_id(const struct rec *r) { return xasprintf("%s@%s", r->key, r->system); }

/* ---- items ---- */

static int item_of(void *ctx, struct src *s, struct rec *r)
{
	(void)s;
	cJSON *o = cJSON_CreateObject();
	char *id = rec_id(r);
	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddItemToObject(o, "input", cJSON_Duplicate(r->input, 1));
	cJSON_AddStringToObject(o, "output", r->output);
	if (r->reference) cJSON_AddStringToObject(o, "reference", r->reference);
	cJSON *meta = cJSON_CreateObject();
	cJSON_AddStringToObject(meta, "system", r->system);
	for (cJSON *m = r->meta->child; m; m = m->next) cJSON_AddItemToObject(meta, m->string, cJSON_Duplicate(m, 1));
	cJSON_AddItemToObject(o, "meta", meta);
	rec_push(ctx, r, o);
	cJSON_Delete(o);
	free(id);
	return 0;
}

int preset_items(enum preset p, const char *file, const char *text, size_t len, GPtrArray *recs, struct gs_err *e)
{
	struct src s = {p, file, text, len, e};
	return walk(p, &s, item_of, recs);
}

/* ---- labels ---- */

struct lab {
	const struct rubric *r;
	const struct preset_map *m;
	GPtrArray *recs;
	struct preset_label_stats *st;
	long long mapped;
};

static const struct criterion *crit_for(const struct lab *L, const char *grader)
{
	const char *name = grader;
	for (int i = 0; i < L->m->n; i++)
		if (strcmp(L->m->grader[i], grader) == 0) name = L->m->crit[i];
	for (size_t i = 0; i < L->r->ncrit; i++)
		if (strcmp(L->r->crit[i].id, name) == 0) return &L->r->crit[i];
	return NULL;
}

/* 1 pass, 0 fail, -1 none */
static int pass_of(const cJSON *g)
{
	const cJSON *p = get(g, "pass"), *sc = get(g, "score");
	const char *l = str_of(g, "letter");
	if (cJSON_IsBool(p)) return cJSON_IsTrue(p);
	if (l) return *l == 'C' ? 1 : *l == 'I' ? 0 : -1;
	if (cJSON_IsNumber(sc) && (sc->valuedouble == 0 || sc->valuedouble == 1)) return sc->valuedouble == 1;
	return -2;
}

/* the criterion's value of grader g into labels; 1: no value, else 0 or an error */
static int value_of(struct src *s, struct rec *r, const struct criterion *c, const cJSON *g, int unit_score,
		    cJSON *labels)
{
	char f[300], *name = text_escape(g->string);   /* a name from the file: shown escaped */
	snprintf(f, sizeof f, "scores.%.200s", name);
	free(name);
	if (str_of(g, "letter") && !strcmp(str_of(g, "letter"), "?"))
		return bad(s, r, f, "a score must be C, I, P, N, true, false or a number");
	if (c->type == CRIT_BINARY) {
		int p = pass_of(g);
		if (p == -2) return bad(s, r, f, "a binary criterion needs a pass or fail (C, I, true, false, 0, 1)");
		if (p < 0) return 1;
		cJSON_AddStringToObject(labels, c->id, c->options[p]);
		return 0;
	}
	if (c->type != CRIT_SCALE) return bad(s, r, f, "scores map only to binary or scale criteria");
	const cJSON *sc = get(g, "score");
	const char *l = str_of(g, "letter");
	double v;
	if (l && *l == 'N') return 1;
	if (l) v = *l == 'C' ? c->max : *l == 'I' ? c->min : floor((c->min + c->max) / 2.0);
	else if (cJSON_IsNumber(sc) && unit_score) {
		if (sc->valuedouble < 0 || sc->valuedouble > 1) return bad(s, r, f, "a promptfoo score must be 0 to 1");
		v = floor(c->min + sc->valuedouble * (c->max - c->min) + 0.5);
	} else if (cJSON_IsNumber(sc)) {
		v = sc->valuedouble;
		if (v != floor(v) || v < c->min || v > c->max) return bad(s, r, f, "the score is not a whole number on the scale");
	} else if (cJSON_IsBool(get(g, "pass")))
		v = cJSON_IsTrue(get(g, "pass")) ? c->max : c->min;
	else
		return bad(s, r, f, "no score");
	cJSON_AddNumberToObject(labels, c->id, v);
	return 0;
}

static int label_of(void *ctx, struct src *s, struct rec *r)
{
	struct lab *L = ctx;
	cJSON *labels = cJSON_CreateObject();
	struct sbuf note = {0};
	int rc = 0;
	for (const cJSON *g = r->scores ? r->scores->child : NULL; g && !rc; g = g->next) {
		const struct criterion *c = crit_for(L, g->string);
		if (!c) {
			L->st->unmapped++;
			continue;
		}
		L->mapped++;
		if (get(labels, c->id)) continue;   /* two graders on one criterion: the first counts */
		int got = value_of(s, r, c, g, s->p == PRESET_PROMPTFOO, labels);
		if (got == 1) L->st->no_value++;
		rc = got < 0 || got > 1 ? got : 0;
		const char *why = str_of(g, "reason");
		if (!got && why) sb_addf(&note, "%s%s: %s", note.len ? "\n" : "", g->string, why);
	}
	if (!rc && labels->child) {
		cJSON *o = cJSON_CreateObject();
		char *id = rec_id(r);
		cJSON_AddStringToObject(o, "id", id);
		cJSON_AddItemToObject(o, "labels", labels);
		labels = NULL;
		if (note.len) cJSON_AddStringToObject(o, "note", note.p);
		rec_push(L->recs, r, o);
		cJSON_Delete(o);
		free(id);
	}
	cJSON_Delete(labels);
	sb_free(&note);
	return rc;
}

int preset_labels(enum preset p, const char *file, const char *text, size_t len, const struct rubric *r,
		  const struct preset_map *m, GPtrArray *recs, struct preset_label_stats *st, struct gs_err *e)
{
	struct src s = {p, file, text, len, e};
	struct lab L = {r, m, recs, st, 0};
	memset(st, 0, sizeof *st);
	int rc = walk(p, &s, label_of, &L);
	if (!rc && !L.mapped)
		rc = gs_fail(e, EX_DATAERR, "%s: no grader maps to a criterion of rubric \"%s\"; name one with "
			     "--map GRADER=CRITERION", file, r->name);
	return rc;
}
