/* judgeprompt.c: the prompt `goldset judge` sends and the answer it reads
 * back (judgeprompt.h). Pure: a template and a rubric and an item in, a
 * string out; a judge's output in, rubric slots out. The template syntax
 * is a small subset of Mustache ({{name}}, {{#name}}...{{/name}}) without
 * escaping: the prompt is plain text for a model, never a shell command
 * or a terminal (the judge command reads it from its standard input). */
#include "model/judgeprompt.h"
#include "model/jsoncheck.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#define SECTION_DEPTH 16

const char judge_default_template[] =
	"You are grading {{#single}}an answer{{/single}}{{#pairwise}}two answers (A and B) to the same input{{/pairwise}}"
	" for an evaluation set, with the rubric \"{{rubric}}\".\n"
	"{{#instructions}}\nInstructions:\n{{instructions}}\n{{/instructions}}"
	"\nCriteria:\n{{criteria}}\n"
	"\nInput:\n{{input}}\n"
	"{{#single}}\nAnswer to grade:\n{{output}}\n{{/single}}"
	"{{#pairwise}}\nAnswer A:\n{{output_a}}\n\nAnswer B:\n{{output_b}}\n{{/pairwise}}"
	"{{#reference}}\nReference answer (what a good answer says):\n{{reference}}\n{{/reference}}"
	"\n{{answer_format}}\n";

/* ---- the values of the variables ---- */

struct pctx {
	const struct rubric *r;
	const struct item *it;
	size_t a, b;
	char *criteria, *input, *format;   /* built on first use */
};

static void add_json_string(struct sbuf *b, const char *s)
{
	cJSON *str = cJSON_CreateString(s);
	char *p = cJSON_PrintUnformatted(str);
	sb_add(b, p);
	cJSON_free(p);
	cJSON_Delete(str);
}

static void add_options(struct sbuf *b, char *const *opts, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		if (k) sb_add(b, k + 1 == n ? " or " : ", ");
		add_json_string(b, opts[k]);
	}
}

static void criterion_text(struct sbuf *b, const struct criterion *c)
{
	sb_addf(b, "- %s", c->id);
	if (*c->question) sb_addf(b, ": %s", c->question);
	sb_add(b, "\n  Answer ");
	switch (c->type) {
	case CRIT_SCALE:
		sb_addf(b, "a whole number from %d to %d.", c->min, c->max);
		for (int v = c->min; v <= c->max; v++)
			if (c->anchors && c->anchors[v - c->min]) sb_addf(b, "\n    %d = %s", v, c->anchors[v - c->min]);
		break;
	case CRIT_CHECKLIST:
		sb_add(b, "an object with true or false for each of these items:");
		for (size_t k = 0; k < c->noptions; k++) {
			sb_add(b, "\n    ");
			add_json_string(b, c->options[k]);
		}
		break;
	case CRIT_PREFERENCE:
		sb_add(b, "\"A\", \"B\" or \"tie\".");
		break;
	default:
		sb_add(b, c->noptions == 2 ? "" : "one of ");
		add_options(b, c->options, c->noptions);
		sb_add(b, ".");
	}
	sb_add(b, "\n");
}

static char *criteria_text(const struct rubric *r)
{
	struct sbuf b = {0};
	for (size_t i = 0; i < r->ncrit; i++) criterion_text(&b, &r->crit[i]);
	if (b.len) b.p[--b.len] = 0;   /* the template puts the last newline */
	return sb_take(&b);
}

static char *input_text(const struct item *it)
{
	if (it->input) return xstrdup(it->input);
	struct sbuf b = {0};
	for (size_t i = 0; i < it->nturns; i++)
		sb_addf(&b, "%s[%s]\n%s", i ? "\n\n" : "", it->turns[i].role ? it->turns[i].role : "",
			it->turns[i].content ? it->turns[i].content : "");
	return sb_take(&b);
}

/* an example answer: every criterion with a value it allows */
static char *format_text(const struct rubric *r)
{
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; i < r->ncrit; i++) {
		const struct criterion *c = &r->crit[i];
		if (c->type == CRIT_SCALE) cJSON_AddNumberToObject(o, c->id, c->max);
		else if (c->type == CRIT_PREFERENCE) cJSON_AddStringToObject(o, c->id, "A");
		else if (c->type != CRIT_CHECKLIST) cJSON_AddStringToObject(o, c->id, c->options[c->noptions - 1]);
		else {
			cJSON *items = cJSON_AddObjectToObject(o, c->id);
			for (size_t k = 0; k < c->noptions; k++) cJSON_AddTrueToObject(items, c->options[k]);
		}
	}
	cJSON_AddStringToObject(o, "comment", "why, in a sentence or two");
	char *p = cJSON_PrintUnformatted(o);
	char *s = xasprintf("Reply with one JSON object and nothing else, with a value for every criterion and a "
			    "comment, shaped like this example:\n%s", p);
	cJSON_free(p);
	cJSON_Delete(o);
	return s;
}

static const char *const VARS[] = {"rubric", "instructions", "criteria", "input", "output", "output_a",
				   "output_b", "reference", "answer_format", "single", "pairwise", NULL};

static int pairwise(const struct pctx *c)
{
	return strcmp(c->r->mode, "pairwise") == 0;
}

static const char *output_at(const struct item *it, size_t i)
{
	return it->outputs && i < it->noutputs ? it->outputs[i].text : "";
}

/* the value of a variable ("" when the item has none) */
static const char *var_value(struct pctx *c, const char *name)
{
	if (!strcmp(name, "rubric")) return c->r->name;
	if (!strcmp(name, "instructions")) return c->r->instructions;
	if (!strcmp(name, "single")) return pairwise(c) ? "" : "1";
	if (!strcmp(name, "pairwise")) return pairwise(c) ? "1" : "";
	if (!strcmp(name, "output")) return c->it->output ? c->it->output : "";
	if (!strcmp(name, "output_a")) return output_at(c->it, c->a);
	if (!strcmp(name, "output_b")) return output_at(c->it, c->b);
	if (!strcmp(name, "reference"))
		return c->r->judge_reference && c->it->reference ? c->it->reference : "";
	char **slot = !strcmp(name, "criteria") ? &c->criteria : !strcmp(name, "input") ? &c->input : &c->format;
	if (!*slot) *slot = slot == &c->criteria ? criteria_text(c->r) : slot == &c->input ? input_text(c->it)
										      : format_text(c->r);
	return *slot;
}

/* ---- the template ---- */

struct tag { char kind; char name[32]; const char *end; };   /* kind: 0 variable, '#' open, '/' close */

/* the tag at p ("{{...}}"): 1 and *t filled, 0 when p starts no tag, -1
 * for a tag without its end or an unknown name */
static int read_tag(const char *p, struct tag *t)
{
	if (p[0] != '{' || p[1] != '{') return 0;
	const char *q = p + 2, *end = strstr(q, "}}");
	if (!end) return -1;
	t->kind = *q == '#' || *q == '/' ? *q++ : 0;
	size_t n = (size_t)(end - q);
	if (n == 0 || n >= sizeof t->name) return -1;
	memcpy(t->name, q, n);
	t->name[n] = 0;
	t->end = end + 2;
	for (size_t i = 0; VARS[i]; i++)
		if (!strcmp(VARS[i], t->name)) return 1;
	return -1;
}

static int line_of(const char *start, const char *p)
{
	int line = 1;
	for (; start < p; start++) line += *start == '\n';
	return line;
}

int judge_template_check(const char *tmpl, const char *file, struct gs_err *e)
{
	const char *open[SECTION_DEPTH];
	char names[SECTION_DEPTH][32];
	size_t depth = 0;
	for (const char *p = tmpl; *p; p++) {
		struct tag t;
		int k = read_tag(p, &t);
		if (k < 0) {
			size_t n = strcspn(p, "\n");
			return gs_fail(e, EX_DATAERR, "%s:%d: unknown template variable %.*s (known: rubric, instructions, "
				       "criteria, input, output, output_a, output_b, reference, answer_format; sections "
				       "single, pairwise)", file, line_of(tmpl, p), (int)(n > 40 ? 40 : n), p);
		}
		if (k == 0) continue;
		if (t.kind == '#' && depth == SECTION_DEPTH)
			return gs_fail(e, EX_DATAERR, "%s:%d: sections nested too deep", file, line_of(tmpl, p));
		if (t.kind == '#') {
			open[depth] = p;
			snprintf(names[depth++], sizeof names[0], "%s", t.name);
		} else if (t.kind == '/' && (!depth || strcmp(names[depth - 1], t.name) != 0)) {
			return gs_fail(e, EX_DATAERR, "%s:%d: {{/%s}} closes no open section", file, line_of(tmpl, p), t.name);
		} else if (t.kind == '/') {
			depth--;
		}
		p = t.end - 1;
	}
	if (depth)
		return gs_fail(e, EX_DATAERR, "%s:%d: section {{#%s}} is never closed", file, line_of(tmpl, open[depth - 1]),
			       names[depth - 1]);
	return 0;
}

char *judge_prompt_render(const char *tmpl, const struct rubric *r, const struct item *it, size_t a, size_t b)
{
	struct pctx c = {.r = r, .it = it, .a = a, .b = b};
	struct sbuf out = {0};
	int shown[SECTION_DEPTH + 1] = {1};
	size_t depth = 0;
	for (const char *p = tmpl; *p;) {
		struct tag t;
		if (read_tag(p, &t) <= 0) {
			size_t n = strcspn(p + 1, "{") + 1;
			if (shown[depth]) sb_addn(&out, p, n);
			p += n;
			continue;
		}
		if (t.kind == '#' && depth < SECTION_DEPTH) {
			depth++;
			shown[depth] = shown[depth - 1] && *var_value(&c, t.name);
		} else if (t.kind == '/' && depth) {
			depth--;
		} else if (!t.kind && shown[depth]) {
			sb_add(&out, var_value(&c, t.name));
		}
		p = t.end;
	}
	free(c.criteria);
	free(c.input);
	free(c.format);
	return sb_take(&out);
}

/* ---- the answer ---- */

/* where the JSON object is: the whole text, else the first ```json block */
static const char *find_object(const char *text, size_t n, size_t *len)
{
	const char *s = text, *end = text + n;
	while (s < end && strchr(" \t\r\n", *s)) s++;
	while (end > s && strchr(" \t\r\n", end[-1])) end--;
	if (s < end && *s == '{' && end[-1] == '}') {
		*len = (size_t)(end - s);
		return s;
	}
	const char *f = memmem(text, n, "```json", 7);
	if (!f) f = memmem(text, n, "```JSON", 7);
	if (!f) return NULL;
	f += 7;
	const char *close = memmem(f, (size_t)(text + n - f), "```", 3);
	if (!close) return NULL;
	*len = (size_t)(close - f);
	return f;
}

static int take_comment(cJSON *o, char **note, struct gs_err *e)
{
	cJSON *c = cJSON_DetachItemFromObjectCaseSensitive(o, "comment");
	int rc = 0;
	if (cJSON_IsString(c) && *c->valuestring) *note = xstrdup(c->valuestring);
	else if (c && !cJSON_IsString(c) && !cJSON_IsNull(c))
		rc = gs_fail(e, EX_DATAERR, "answer: the comment must be a string (comment)");
	cJSON_Delete(c);
	return rc;
}

int judge_answer_parse(const struct rubric *r, const char *text, size_t n, int *slots, char **note,
		       struct gs_err *e)
{
	size_t len = 0;
	*note = NULL;
	const char *obj = find_object(text, n, &len);
	if (!obj) return gs_fail(e, EX_DATAERR, "answer: no JSON object (neither the whole output nor a ```json block)");
	struct jc_error je;
	cJSON *o = jsoncheck_parse(obj, len, NULL, &je);
	if (!o || !cJSON_IsObject(o)) {
		cJSON_Delete(o);
		if (!o && !je.syntax) return gs_fail(e, EX_DATAERR, "answer: %s (%s)", je.what, je.field[0] ? je.field : "answer");
		return gs_fail(e, EX_DATAERR, "answer: not a valid JSON object");
	}
	int rc = take_comment(o, note, e);
	if (!rc) {
		char *vals = cJSON_PrintUnformatted(o);
		rc = rubric_values_from_json(r, vals, NULL, NULL, 1, slots, "answer", e);
		cJSON_free(vals);
	}
	cJSON_Delete(o);
	if (rc) {
		free(*note);
		*note = NULL;
	}
	return rc;
}
