/* rubric.c: rubrics (goldset-rubric(5)): parse and validate a rubric file,
 * and convert label values between their JSON form (stored, exported,
 * imported) and slots (see rubric.h), which screens and statistics use.
 * Validation reports every problem through one function, so that
 * `goldset rubric check` can list them all and everything else can stop at
 * the first. */
#include "model/rubric.h"
#include "model/jsoncheck.h"
#include "base/text.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>


#define MAX_OPTIONS 9   /* digit keys 1-9 */

struct vctx {
	const char *file;
	void (*report)(void *ctx, int is_error, const char *msg);
	void *rctx;
	int errors;
	const char *text;   /* the rubric's text, for the line of a problem */
	size_t len;
	char field[64];     /* what is being checked: "criteria[2].max" ("": the file) */
};

/* the field the next problems are about */
static void at(struct vctx *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void at(struct vctx *v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->field, sizeof v->field, fmt, ap);
	va_end(ap);
}

static void json_position(const char *text, const char *at, int *line, int *col);

/* "FILE:LINE:COL" of v->field, or of the nearest enclosing value present
 * (a missing key: the object it is missing from) */
static void where_of(const struct vctx *v, char *out, size_t cap)
{
	char path[sizeof v->field];
	long off = -1;
	snprintf(path, sizeof path, "%s", v->field);
	while (v->text && (off = jsoncheck_locate(v->text, v->len, path)) < 0 && *path) {
		char *cut = strrchr(path, '.'), *br = strrchr(path, '[');
		*(cut > br ? cut : br ? br : path) = 0;
	}
	int line = 0, col = 0;
	if (off >= 0) json_position(v->text, v->text + off, &line, &col);
	if (off >= 0) snprintf(out, cap, "%s:%d:%d", v->file, line, col);
	else snprintf(out, cap, "%s", v->file);
}

static void problem(struct vctx *v, int is_error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void problem(struct vctx *v, int is_error, const char *fmt, ...)
{
	char msg[640], line[1024], where[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	where_of(v, where, sizeof where);
	snprintf(line, sizeof line, "%s: %s (%s)", where, msg, v->field[0] ? v->field : "file");
	v->errors += is_error;
	char *safe = text_escape_line(line, strlen(line));   /* names and keys are untrusted */
	if (v->report) v->report(v->rctx, is_error, safe);
	free(safe);
}

const char *crit_type_name(enum crit_type t)
{
	static const char *const n[] = {"binary", "scale", "choice", "checklist", "preference"};
	return n[t];
}

const char *level_name(enum level l)
{
	static const char *const n[] = {"nominal", "ordinal", "interval", "ratio"};
	return n[l];
}

int level_parse(const char *s, enum level *out)
{
	for (int i = 0; i <= LEVEL_RATIO; i++)
		if (strcmp(s, level_name((enum level)i)) == 0) {
			*out = (enum level)i;
			return 0;
		}
	return -1;
}

static int type_parse(const char *s, enum crit_type *out)
{
	for (int i = 0; i <= CRIT_PREFERENCE; i++)
		if (strcmp(s, crit_type_name((enum crit_type)i)) == 0) {
			*out = (enum crit_type)i;
			return 0;
		}
	return -1;
}

static int bad_name(const char *s)
{
	char why[96];
	return jsoncheck_name(s, strlen(s), why) != NULL;
}

static const char *str_field(cJSON *o, const char *k)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* a list of non-empty, distinct strings: copies into *out */
static int string_list(struct vctx *v, cJSON *arr, const char *cid, const char *key, char ***out, size_t *n)
{
	size_t base = strlen(v->field);
	snprintf(v->field + base, sizeof v->field - base, ".%s", key);
	if (!cJSON_IsArray(arr)) {
		problem(v, 1, "criterion \"%s\": \"%s\" must be an array of strings", cid, key);
		return -1;
	}
	*n = (size_t)cJSON_GetArraySize(arr);
	*out = xcalloc(*n + 1, sizeof **out);
	size_t i = 0;
	for (cJSON *s = arr->child; s; s = s->next, i++) {
		snprintf(v->field + base, sizeof v->field - base, ".%s[%zu]", key, i);
		if (!cJSON_IsString(s) || !s->valuestring[0]) {
			problem(v, 1, "criterion \"%s\": %s[%zu] must be a non-empty string", cid, key, i);
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp((*out)[j], s->valuestring) == 0) {
				problem(v, 1, "criterion \"%s\": %s has \"%s\" twice", cid, key, s->valuestring);
				return -1;
			}
		(*out)[i] = xstrdup(s->valuestring);
	}
	snprintf(v->field + base, sizeof v->field - base, ".%s", key);
	return 0;
}

static int parse_scale(struct vctx *v, cJSON *o, struct criterion *c)
{
	char crit[sizeof v->field];
	snprintf(crit, sizeof crit, "%s", v->field);
	at(v, "%s.%s", crit, cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(o, "min")) ? "max" : "min");
	cJSON *mn = cJSON_GetObjectItemCaseSensitive(o, "min"), *mx = cJSON_GetObjectItemCaseSensitive(o, "max");
	if (!cJSON_IsNumber(mn) || !cJSON_IsNumber(mx) || mn->valuedouble != floor(mn->valuedouble) ||
	    mx->valuedouble != floor(mx->valuedouble) || fabs(mn->valuedouble) > 1e6 || fabs(mx->valuedouble) > 1e6) {
		problem(v, 1, "criterion \"%s\": a scale needs whole numbers \"min\" and \"max\" (within ±1000000)",
			c->id);
		return -1;
	}
	c->min = (int)mn->valuedouble;
	c->max = (int)mx->valuedouble;
	at(v, "%s.max", crit);
	if (c->min > c->max) {
		problem(v, 1, "criterion \"%s\": scale min %d > max %d", c->id, c->min, c->max);
		return -1;
	}
	if (c->max - c->min + 1 > MAX_OPTIONS) {
		problem(v, 1, "criterion \"%s\": scale of %d points has more options than digit keys (9)", c->id,
			c->max - c->min + 1);
		return -1;
	}
	if (c->max - c->min + 1 > 5)
		problem(v, 0, "warning: criterion \"%s\": a scale of %d points; raters agree poorly beyond five",
			c->id, c->max - c->min + 1);
	c->level = LEVEL_ORDINAL;
	const char *lv = str_field(o, "level");
	at(v, "%s.level", crit);
	if (lv && level_parse(lv, &c->level)) {
		problem(v, 1, "criterion \"%s\": unknown level \"%s\" (nominal, ordinal, interval, ratio)", c->id, lv);
		return -1;
	}
	c->noptions = (size_t)(c->max - c->min + 1);
	c->options = xcalloc(c->noptions + 1, sizeof *c->options);
	c->anchors = xcalloc(c->noptions + 1, sizeof *c->anchors);
	cJSON *anchors = cJSON_GetObjectItemCaseSensitive(o, "anchors");
	for (int k = c->min; k <= c->max; k++) {
		char key[16];
		snprintf(key, sizeof key, "%d", k);
		c->options[k - c->min] = xstrdup(key);
		const char *a = anchors ? str_field(anchors, key) : NULL;
		if (a) c->anchors[k - c->min] = xstrdup(a);
	}
	at(v, "%s.anchors", crit);
	for (cJSON *a = anchors ? anchors->child : NULL; a; a = a->next) {
		long k;
		if (parse_long(a->string, &k) || k < c->min || k > c->max)
			problem(v, 0, "warning: criterion \"%s\": anchor \"%s\" is outside the scale", c->id, a->string);
	}
	return 0;
}

static int parse_options(struct vctx *v, cJSON *o, struct criterion *c)
{
	static const char *const keys[] = {"labels", "", "options", "items", ""};
	static const char *const pref[] = {"A", "B", "tie"};
	if (c->type == CRIT_PREFERENCE) {
		c->noptions = 3;
		c->options = xcalloc(4, sizeof *c->options);
		for (int i = 0; i < 3; i++) c->options[i] = xstrdup(pref[i]);
		return 0;
	}
	const char *key = keys[c->type];
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!arr && c->type == CRIT_BINARY) {
		c->noptions = 2;
		c->options = xcalloc(3, sizeof *c->options);
		c->options[0] = xstrdup("no");
		c->options[1] = xstrdup("yes");
		return 0;
	}
	if (string_list(v, arr, c->id, key, &c->options, &c->noptions)) return -1;
	if (c->type == CRIT_BINARY && c->noptions != 2) {
		problem(v, 1, "criterion \"%s\": a binary criterion has exactly two labels", c->id);
		return -1;
	}
	if (c->noptions < (c->type == CRIT_CHECKLIST ? 1u : 2u)) {
		problem(v, 1, "criterion \"%s\": \"%s\" needs at least %d entries", c->id, key,
			c->type == CRIT_CHECKLIST ? 1 : 2);
		return -1;
	}
	if (c->type == CRIT_CHOICE && c->noptions > MAX_OPTIONS) {
		problem(v, 1, "criterion \"%s\": %zu options, more than the digit keys (9)", c->id, c->noptions);
		return -1;
	}
	return 0;
}

static int parse_criterion(struct vctx *v, cJSON *o, size_t idx, struct criterion *c)
{
	at(v, "criteria[%zu]", idx);
	if (!cJSON_IsObject(o)) {
		problem(v, 1, "criteria[%zu] must be an object", idx);
		return -1;
	}
	const char *id = str_field(o, "id"), *type = str_field(o, "type"), *q = str_field(o, "question");
	at(v, "criteria[%zu].id", idx);
	if (!id || !*id) {
		problem(v, 1, "criteria[%zu]: missing \"id\"", idx);
		return -1;
	}
	c->id = xstrdup(id);
	if (strchr(id, '/')) {
		problem(v, 1, "criterion \"%s\": an id cannot contain '/'", id);
		return -1;
	}
	at(v, "criteria[%zu].type", idx);
	if (!type || type_parse(type, &c->type)) {
		problem(v, 1, "criterion \"%s\": unknown type \"%s\" (binary, scale, choice, checklist, preference)",
			id, type ? type : "(missing)");
		return -1;
	}
	c->question = xstrdup(q ? q : "");
	c->level = LEVEL_NOMINAL;
	at(v, "criteria[%zu]", idx);
	if (c->type == CRIT_SCALE) return parse_scale(v, o, c);
	return parse_options(v, o, c);
}

static void criterion_free(struct criterion *c)
{
	free(c->id);
	free(c->question);
	for (size_t i = 0; i < c->noptions; i++) {
		if (c->options) free(c->options[i]);
		if (c->anchors) free(c->anchors[i]);
	}
	free(c->options);
	free(c->anchors);
}

void rubric_free(struct rubric *r)
{
	if (!r) return;
	for (size_t i = 0; i < r->ncrit; i++) criterion_free(&r->crit[i]);
	free(r->crit);
	free(r->name);
	free(r->mode);
	free(r->instructions);
	free(r->hash);
	free(r->text);
	free(r);
}

static void json_position(const char *text, const char *at, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (const char *p = text; p < at && *p; p++) {
		if (*p == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static void check_criteria_set(struct vctx *v, struct rubric *r)
{
	int prefs = 0;
	for (size_t i = 0; i < r->ncrit; i++) {
		if (!r->crit[i].id) continue;
		prefs += r->crit[i].type == CRIT_PREFERENCE;
		at(v, "criteria[%zu].id", i);
		for (size_t j = 0; j < i; j++)
			if (r->crit[j].id && strcmp(r->crit[i].id, r->crit[j].id) == 0)
				problem(v, 1, "duplicate criterion id \"%s\"", r->crit[i].id);
	}
	at(v, "mode");
	if (strcmp(r->mode, "pairwise") == 0) {
		if (!prefs) problem(v, 1, "pairwise mode needs at least one criterion of type \"preference\"");
	} else if (prefs) {
		problem(v, 1, "criteria of type \"preference\" need \"mode\": \"pairwise\"");
	}
}

static struct rubric *build(struct vctx *v, cJSON *root)
{
	struct rubric *r = xcalloc(1, sizeof *r);
	const char *name = str_field(root, "name"), *mode = str_field(root, "mode");
	const char *ins = str_field(root, "instructions");
	cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "version");
	cJSON *crit = cJSON_GetObjectItemCaseSensitive(root, "criteria");
	at(v, "name");
	if (!name || !*name) problem(v, 1, "missing \"name\"");
	else if (strchr(name, '/') || name[0] == '.' || strlen(name) > 100 || bad_name(name))
		problem(v, 1, "name \"%s\" cannot be used as a folder name (no '/', leading '.' or control characters;"
			" at most 100 bytes)", name);
	r->name = xstrdup(name ? name : "");
	r->version = 1;
	at(v, "version");
	if (ver && (!cJSON_IsNumber(ver) || ver->valuedouble < 0 || ver->valuedouble > 1e9 ||
		    ver->valuedouble != floor(ver->valuedouble)))
		problem(v, 1, "\"version\" must be a whole number from 0 to 1000000000");
	else if (ver)
		r->version = (int)ver->valuedouble;
	r->mode = xstrdup(mode ? mode : "single");
	at(v, "mode");
	if (strcmp(r->mode, "single") && strcmp(r->mode, "pairwise"))
		problem(v, 1, "unknown mode \"%s\" (single or pairwise)", r->mode);
	r->instructions = xstrdup(ins ? ins : "");
	cJSON *jr = cJSON_GetObjectItemCaseSensitive(root, "judge_reference");
	at(v, "judge_reference");
	if (jr && !cJSON_IsBool(jr)) problem(v, 1, "\"judge_reference\" must be true or false");
	r->judge_reference = !cJSON_IsFalse(jr);
	at(v, "criteria");
	if (!cJSON_IsArray(crit) || cJSON_GetArraySize(crit) == 0) {
		problem(v, 1, "no criteria (\"criteria\" must be a non-empty array)");
		return r;
	}
	r->ncrit = (size_t)cJSON_GetArraySize(crit);
	r->crit = xcalloc(r->ncrit, sizeof *r->crit);
	size_t i = 0;
	for (cJSON *c = crit->child; c; c = c->next, i++) parse_criterion(v, c, i, &r->crit[i]);
	check_criteria_set(v, r);
	return r;
}

/* the strings of a rubric that are names (jsoncheck patterns) */
static const char *const NAMES[] = {"name", "criteria[].id", "criteria[].items[]", NULL};

static struct rubric *validate(const char *text, size_t len, struct vctx *v)
{
	struct jc_error je;
	cJSON *root = jsoncheck_parse(text, len, NAMES, &je);
	if (!root) {
		int line, col;
		json_position(text, text + je.off, &line, &col);
		char *msg = je.syntax ? xasprintf("%s:%d:%d: invalid JSON", v->file, line, col)
				      : xasprintf("%s:%d:%d: %s (%s)", v->file, line, col, je.what, je.field[0] ? je.field : "file");
		char *safe = text_escape_line(msg, strlen(msg));
		v->errors++;
		if (v->report) v->report(v->rctx, 1, safe);
		free(safe);
		free(msg);
		return NULL;
	}
	struct rubric *r = NULL;
	if (!cJSON_IsObject(root)) problem(v, 1, "a rubric must be a JSON object");
	else r = build(v, root);
	cJSON_Delete(root);
	return r;
}

struct first_err { struct gs_err *e; void (*warn)(void *, const char *); void *wctx; int have; };

static void keep_first(void *ctx, int is_error, const char *msg)
{
	struct first_err *f = ctx;
	if (!is_error) {
		if (f->warn) f->warn(f->wctx, msg);
		return;
	}
	if (!f->have++) gs_fail(f->e, EX_DATAERR, "%s", msg);
}

int rubric_parse(const char *text, size_t len, const char *file, struct rubric **out, struct gs_err *e,
		 void (*warn)(void *ctx, const char *msg), void *wctx)
{
	struct first_err f = {e, warn, wctx, 0};
	struct vctx v = {file, keep_first, &f, 0, text, len, ""};
	struct rubric *r = validate(text, len, &v);
	if (v.errors) {
		rubric_free(r);
		return EX_DATAERR;
	}
	r->text = xstrndup(text, len);
	r->hash = xmalloc(33);
	content_hash(text, len, r->hash);
	*out = r;
	return 0;
}

int rubric_check(const char *text, size_t len, const char *file,
		 void (*report)(void *ctx, int is_error, const char *msg), void *ctx)
{
	struct vctx v = {file, report, ctx, 0, text, len, ""};
	rubric_free(validate(text, len, &v));
	return v.errors;
}

/* ---- slots ---- */

size_t rubric_slot_count(const struct rubric *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->ncrit; i++) n += r->crit[i].type == CRIT_CHECKLIST ? r->crit[i].noptions : 1;
	return n;
}

const struct criterion *rubric_slot_crit(const struct rubric *r, size_t slot, int *sub)
{
	for (size_t i = 0; i < r->ncrit; i++) {
		const struct criterion *c = &r->crit[i];
		size_t n = c->type == CRIT_CHECKLIST ? c->noptions : 1;
		if (slot < n) {
			*sub = c->type == CRIT_CHECKLIST ? (int)slot : -1;
			return c;
		}
		slot -= n;
	}
	*sub = -1;
	return NULL;
}

void rubric_slot_info(const struct rubric *r, size_t slot, struct slot_info *out)
{
	memset(out, 0, sizeof *out);
	const struct criterion *c = rubric_slot_crit(r, slot, &out->sub);
	if (!c) return;
	out->crit = c;
	out->level = c->level;
	out->nopts = out->sub >= 0 ? 2 : (int)c->noptions;
	if (out->sub >= 0) snprintf(out->name, sizeof out->name, "%s/%s", c->id, c->options[out->sub]);
	else snprintf(out->name, sizeof out->name, "%s", c->id);
}

const char *rubric_value_text(const struct rubric *r, size_t slot, int v, char buf[32])
{
	int sub;
	const struct criterion *c = rubric_slot_crit(r, slot, &sub);
	if (!c || v < 0 || v >= (sub >= 0 ? 2 : (int)c->noptions)) return "";
	if (sub >= 0) return v ? "yes" : "no";
	if (c->type == CRIT_SCALE) {
		snprintf(buf, 32, "%d", c->min + v);
		return buf;
	}
	return c->options[v];
}

double rubric_value_number(const struct rubric *r, size_t slot, int v)
{
	int sub;
	const struct criterion *c = rubric_slot_crit(r, slot, &sub);
	if (c && c->type == CRIT_SCALE) return c->min + v;
	return v;
}

char *rubric_values_to_json(const struct rubric *r, const int *slots, const char *left, const char *right)
{
	cJSON *o = cJSON_CreateObject();
	size_t s = 0;
	for (size_t i = 0; i < r->ncrit; i++) {
		const struct criterion *c = &r->crit[i];
		if (c->type == CRIT_CHECKLIST) {
			cJSON *obj = NULL;
			for (size_t k = 0; k < c->noptions; k++, s++) {
				if (slots[s] < 0) continue;
				if (!obj) obj = cJSON_AddObjectToObject(o, c->id);
				cJSON_AddBoolToObject(obj, c->options[k], slots[s] == 1);
			}
			continue;
		}
		int v = slots[s++];
		if (v < 0) continue;
		if (c->type == CRIT_SCALE) cJSON_AddNumberToObject(o, c->id, c->min + v);
		else if (c->type == CRIT_PREFERENCE)
			cJSON_AddStringToObject(o, c->id, v == 0 ? (left ? left : "A") : v == 1 ? (right ? right : "B") : "tie");
		else cJSON_AddStringToObject(o, c->id, c->options[v]);
	}
	char *p = cJSON_PrintUnformatted(o);
	char *res = xstrdup(p);
	cJSON_free(p);
	cJSON_Delete(o);
	return res;
}

char *rubric_sides_json(const struct rubric *r, const int *slots)
{
	cJSON *o = cJSON_CreateObject();
	size_t s = 0;
	for (size_t i = 0; i < r->ncrit; i++) {
		const struct criterion *c = &r->crit[i];
		int n = c->type == CRIT_CHECKLIST ? (int)c->noptions : 1;
		if (c->type == CRIT_PREFERENCE && slots[s] >= 0) cJSON_AddStringToObject(o, c->id, c->options[slots[s]]);
		s += (size_t)n;
	}
	char *p = cJSON_PrintUnformatted(o);
	char *res = xstrdup(p);
	cJSON_free(p);
	cJSON_Delete(o);
	return res;
}

static int value_of(const struct criterion *c, cJSON *v, const char *left, const char *right, int *out)
{
	if (c->type == CRIT_SCALE) {
		if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) || v->valuedouble < c->min ||
		    v->valuedouble > c->max)
			return -1;
		*out = (int)v->valuedouble - c->min;
		return 0;
	}
	if (!cJSON_IsString(v)) return -1;
	if (c->type == CRIT_PREFERENCE) {
		const char *s = v->valuestring;
		if (strcmp(s, "tie") == 0) *out = 2;
		else if (left && strcmp(s, left) == 0) *out = 0;
		else if (right && strcmp(s, right) == 0) *out = 1;
		else if (!left && strcmp(s, "A") == 0) *out = 0;
		else if (!right && strcmp(s, "B") == 0) *out = 1;
		else return -1;
		return 0;
	}
	for (size_t k = 0; k < c->noptions; k++)
		if (strcmp(c->options[k], v->valuestring) == 0) {
			*out = (int)k;
			return 0;
		}
	return -1;
}

static int checklist_of(const struct criterion *c, cJSON *v, int *slots, const char *where, struct gs_err *e)
{
	if (!cJSON_IsObject(v))
		return gs_fail(e, EX_DATAERR, "%s: checklist \"%s\" must be an object of booleans (labels.%s)", where,
			       c->id, c->id);
	for (cJSON *x = v->child; x; x = x->next) {
		size_t k = 0;
		while (k < c->noptions && strcmp(c->options[k], x->string) != 0) k++;
		if (k == c->noptions)
			return gs_fail(e, EX_DATAERR, "%s: checklist \"%s\" has no item \"%s\" (labels.%s)", where, c->id,
				       x->string, c->id);
		if (!cJSON_IsBool(x))
			return gs_fail(e, EX_DATAERR, "%s: checklist answers are true or false (labels.%s)", where, c->id);
		slots[k] = cJSON_IsTrue(x) ? 1 : 0;
	}
	return 0;
}

#define SHOWN_VALUE_MAX 60   /* bytes of a refused value quoted in its error */

/* what c takes: "a whole number from 1 to 5", "one of \"no\", \"yes\"" */
static void allowed_values(const struct criterion *c, const char *left, const char *right, struct sbuf *b)
{
	if (c->type == CRIT_SCALE) {
		sb_addf(b, "a whole number from %d to %d", c->min, c->max);
		return;
	}
	if (c->type == CRIT_PREFERENCE) {
		sb_addf(b, "\"%s\", \"%s\" or \"tie\"", left ? left : "A", right ? right : "B");
		return;
	}
	sb_add(b, "one of ");
	for (size_t k = 0; k < c->noptions; k++) sb_addf(b, "%s\"%s\"", k ? ", " : "", c->options[k]);
}

/* "FILE:LINE: 7 is not a valid value of scale criterion "stars": it takes
 * a whole number from 1 to 5 (labels.stars)"; the value as JSON, made safe
 * and cut to SHOWN_VALUE_MAX bytes */
static int invalid_value(const struct criterion *c, cJSON *v, const char *left, const char *right, const char *where,
			 struct gs_err *e)
{
	char *json = cJSON_PrintUnformatted(v), *safe = text_json_safe(json ? json : "?");
	cJSON_free(json);
	size_t n = strlen(safe);
	if (n > SHOWN_VALUE_MAX) {
		n = SHOWN_VALUE_MAX;
		while (n && ((unsigned char)safe[n] & 0xC0) == 0x80) n--;
	}
	struct sbuf allowed = {0};
	allowed_values(c, left, right, &allowed);
	gs_fail(e, EX_DATAERR, "%s: %.*s%s is not a valid value of %s criterion \"%s\": it takes %s (labels.%s)", where,
		(int)n, safe, n < strlen(safe) ? "..." : "", crit_type_name(c->type), c->id, allowed.p, c->id);
	sb_free(&allowed);
	free(safe);
	return EX_DATAERR;
}

static int check_known_keys(const struct rubric *r, cJSON *o, const char *where, struct gs_err *e)
{
	for (cJSON *x = o->child; x; x = x->next) {
		size_t i = 0;
		while (i < r->ncrit && strcmp(r->crit[i].id, x->string) != 0) i++;
		if (i == r->ncrit)
			return gs_fail(e, EX_DATAERR, "%s: rubric \"%s\" has no criterion \"%s\" (labels)", where, r->name,
				       x->string);
	}
	return 0;
}

int rubric_values_from_json(const struct rubric *r, const char *json, const char *left, const char *right,
			    int complete, int *slots, const char *where, struct gs_err *e)
{
	size_t n = rubric_slot_count(r);
	for (size_t i = 0; i < n; i++) slots[i] = -1;
	cJSON *o = cJSON_Parse(json);
	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		return gs_fail(e, EX_DATAERR, "%s: labels must be an object (labels)", where);
	}
	int rc = check_known_keys(r, o, where, e);
	size_t s = 0;
	for (size_t i = 0; i < r->ncrit && !rc; i++) {
		const struct criterion *c = &r->crit[i];
		cJSON *v = cJSON_GetObjectItemCaseSensitive(o, c->id);
		if (c->type == CRIT_CHECKLIST) {
			if (v) rc = checklist_of(c, v, slots + s, where, e);
			s += c->noptions;
			continue;
		}
		if (v && value_of(c, v, left, right, &slots[s])) rc = invalid_value(c, v, left, right, where, e);
		s++;
	}
	for (size_t i = 0; i < n && !rc && complete; i++)
		if (slots[i] < 0) {
			struct slot_info si;
			rubric_slot_info(r, i, &si);
			rc = gs_fail(e, EX_DATAERR, "%s: no value for \"%s\" (labels.%s)", where, si.name, si.crit->id);
		}
	cJSON_Delete(o);
	return rc;
}
