/* items.c: parsing and validating golden-set items (goldset-items(5)).
 *
 * An import streams a file line by line (line_reader), parses each line with
 * cJSON, applies the --map, validates the fields and produces the canonical
 * line: keys in a fixed order (id, input, output|outputs, reference, meta,
 * gold), no insignificant white space, numbers in their exact shortest form.
 * The canonical line is what the store keeps, what is hashed for versions
 * and what golden/<set>.jsonl holds. Every line is first held to the rules
 * for untrusted JSON and names (src/model/jsoncheck.c; the names here: the id,
 * system names and meta keys, wherever --map puts them). Errors name file,
 * line and field. */
#include "model/items.h"
#include "model/jsoncheck.h"
#include "base/text.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#define MAX_DEPTH 64

/* ---- the line reader ---- */

int line_reader_open(struct line_reader *r, const char *path, struct gs_err *e)
{
	memset(r, 0, sizeof *r);
	r->file = path;
	if (is_dir(path)) return gs_fail(e, EX_NOINPUT, "%s: is a directory, not a JSONL file", path);
	if (path_nolinks(path, e)) return e ? e->code : EX_DATAERR;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	r->f = fd < 0 ? NULL : fdopen(fd, "rb");
	if (fd >= 0 && !r->f) close(fd);
	if (!r->f)
		return gs_fail(e, errno == ENOENT ? EX_NOINPUT : EX_NOINPUT, "%s: %s", path, strerror(errno));
	return 0;
}

int line_reader_next(struct line_reader *r, const char **line, size_t *len, struct gs_err *e)
{
	errno = 0;
	ssize_t n = getline(&r->buf, &r->cap, r->f);
	if (n < 0) {
		if (ferror(r->f)) return gs_fail(e, EX_IOERR, "%s: read error: %s", r->file, strerror(errno));
		return 0;
	}
	r->lineno++;
	r->bytes += n;
	char *s = r->buf;
	size_t m = (size_t)n;
	r->no_newline = !(m && s[m - 1] == '\n');
	if (!r->no_newline) m--;
	if (m && s[m - 1] == '\r') m--;
	if (r->lineno == 1 && m >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		m -= 3;
	}
	s[m] = 0;   /* NUL bytes and invalid UTF-8 are the parser's to report, with the field */
	*line = s;
	*len = m;
	return 1;
}

void line_reader_close(struct line_reader *r)
{
	if (r->f) fclose(r->f);
	free(r->buf);
	memset(r, 0, sizeof *r);
}

/* ---- --map ---- */

static const char *const FIELDS[] = {"id", "input", "output", "outputs", "reference", "meta", "gold"};

int item_map_parse(const char *spec, struct item_map *m, struct gs_err *e)
{
	memset(m, 0, sizeof *m);
	char **parts = split_list(spec, ',');
	for (char **p = parts; *p; p++) {
		char *eq = strchr(*p, '=');
		int known = 0;
		if (eq) {
			*eq = 0;
			for (size_t i = 0; i < ARRAY_LEN(FIELDS); i++) known |= strcmp(*p, FIELDS[i]) == 0;
		}
		if (!eq || !known || !eq[1] || m->n >= 8) {
			gs_fail(e, EX_USAGE, "--map: \"%s\" is not FIELD=PATH with FIELD one of id, input, output,"
				" outputs, reference, meta, gold", *p);
			strv_free(parts);
			item_map_free(m);
			return EX_USAGE;
		}
		m->field[m->n] = xstrdup(*p);
		m->path[m->n++] = xstrdup(eq + 1);
	}
	strv_free(parts);
	return 0;
}

void item_map_free(struct item_map *m)
{
	for (int i = 0; i < m->n; i++) {
		free(m->field[i]);
		free(m->path[i]);
	}
	memset(m, 0, sizeof *m);
}

/* follows a dotted path: object keys, and array indexes as numbers */
static cJSON *dig(cJSON *root, const char *path)
{
	char *copy = xstrdup(path), *save = NULL;
	cJSON *cur = root;
	for (char *tok = strtok_r(copy, ".", &save); tok && cur; tok = strtok_r(NULL, ".", &save)) {
		long idx;
		if (cJSON_IsArray(cur) && parse_long(tok, &idx) == 0)
			cur = idx >= 0 ? cJSON_GetArrayItem(cur, (int)idx) : NULL;
		else if (cJSON_IsObject(cur))
			cur = cJSON_GetObjectItemCaseSensitive(cur, tok);
		else
			cur = NULL;
	}
	free(copy);
	return cur;
}

static cJSON *field_of(cJSON *root, const struct item_map *map, const char *field, const char **path)
{
	*path = field;
	for (int i = 0; map && i < map->n; i++)
		if (strcmp(map->field[i], field) == 0) {
			*path = map->path[i];
			return dig(root, map->path[i]);
		}
	return cJSON_GetObjectItemCaseSensitive(root, field);
}

/* ---- validation into the canonical object ---- */

struct ctx { const char *file; long line; struct gs_err *e; };

static int bad(struct ctx *c, const char *field, const char *what)
{
	return gs_fail(c->e, EX_DATAERR, "%s:%ld: %s (%s)", c->file, c->line, what, field);
}

static int depth_ok(const char *s, size_t n)
{
	int depth = 0, in_str = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (in_str) {
			if (ch == '\\') i++;
			else if (ch == '"') in_str = 0;
		} else if (ch == '"') {
			in_str = 1;
		} else if (ch == '{' || ch == '[') {
			if (++depth > MAX_DEPTH) return 0;
		} else if (ch == '}' || ch == ']') {
			depth--;
		}
	}
	return 1;
}

/* names were checked by the scan (jsoncheck); this catches a --map path
 * too deep for its patterns */
static int name_ok(struct ctx *c, const char *field, const char *s)
{
	char why[96], msg[128];
	const char *w = jsoncheck_name(s, strlen(s), why);
	if (!w) return 0;
	snprintf(msg, sizeof msg, "a name cannot %s", w);
	return bad(c, field, msg);
}

static int take_id(struct ctx *c, cJSON *v, const char *path, cJSON *out)
{
	char buf[64];
	if (!v) return bad(c, path, "missing id");
	if (cJSON_IsNumber(v) && fabs(v->valuedouble) < 9007199254740992.0 && v->valuedouble == floor(v->valuedouble)) {
		snprintf(buf, sizeof buf, "%lld", (long long)v->valuedouble);
		cJSON_AddStringToObject(out, "id", buf);
		return 0;
	}
	if (!cJSON_IsString(v)) return bad(c, path, "id must be a string");
	if (!v->valuestring[0]) return bad(c, path, "id is empty");
	if (name_ok(c, path, v->valuestring)) return c->e->code;
	cJSON_AddStringToObject(out, "id", v->valuestring);
	return 0;
}

/* a turn's content: a string, or (as chat APIs export it) an array of
 * parts {"type": "text", "text": "..."}, joined by blank lines; *text is
 * malloc'd */
static int chat_content(struct ctx *c, cJSON *content, const char *where, char **text)
{
	if (cJSON_IsString(content)) {
		*text = xstrdup(content->valuestring);
		return 0;
	}
	if (!cJSON_IsArray(content) || !content->child)
		return bad(c, where, "content must be a string or an array of text parts");
	struct sbuf b = {0};
	for (cJSON *p = content->child; p; p = p->next) {
		cJSON *t = cJSON_GetObjectItemCaseSensitive(p, "text");
		if (!cJSON_IsString(t)) {
			sb_free(&b);
			return bad(c, where, "content parts must be {\"type\": \"text\", \"text\": \"...\"}");
		}
		sb_addf(&b, "%s%s", b.len ? "\n\n" : "", t->valuestring);
	}
	*text = sb_take(&b);
	return 0;
}

static int take_chat(struct ctx *c, cJSON *v, const char *path, cJSON *out)
{
	char where[128];
	cJSON *arr = cJSON_AddArrayToObject(out, "input");
	int i = 0;
	if (cJSON_GetArraySize(v) == 0) return bad(c, path, "chat transcript is empty");
	for (cJSON *t = v->child; t; t = t->next, i++) {
		snprintf(where, sizeof where, "%s[%d]", path, i);
		if (!cJSON_IsObject(t)) return bad(c, where, "chat turn must be an object with role and content");
		cJSON *role = cJSON_GetObjectItemCaseSensitive(t, "role");
		cJSON *content = cJSON_GetObjectItemCaseSensitive(t, "content");
		snprintf(where, sizeof where, "%s[%d].role", path, i);
		if (!cJSON_IsString(role)) return bad(c, where, role ? "role must be a string" : "missing role");
		snprintf(where, sizeof where, "%s[%d].content", path, i);
		if (!content) return bad(c, where, "missing content");
		char *text = NULL;
		if (chat_content(c, content, where, &text)) return c->e->code;
		cJSON *turn = cJSON_CreateObject();
		cJSON_AddStringToObject(turn, "role", role->valuestring);
		cJSON_AddStringToObject(turn, "content", text);
		cJSON_AddItemToArray(arr, turn);
		free(text);
	}
	return 0;
}

static int take_input(struct ctx *c, cJSON *v, const char *path, cJSON *out)
{
	if (!v) return bad(c, path, "missing input");
	if (cJSON_IsString(v)) {
		cJSON_AddStringToObject(out, "input", v->valuestring);
		return 0;
	}
	if (cJSON_IsArray(v)) return take_chat(c, v, path, out);
	return bad(c, path, "input must be a string or a chat transcript [{\"role\", \"content\"}, ...]");
}

static int take_outputs(struct ctx *c, cJSON *v, const char *path, cJSON *out)
{
	char where[128];
	if (!cJSON_IsArray(v)) return bad(c, path, "outputs must be an array of {\"system\", \"text\"}");
	if (cJSON_GetArraySize(v) < 2) return bad(c, path, "outputs needs at least two systems to compare");
	cJSON *arr = cJSON_AddArrayToObject(out, "outputs");
	int i = 0;
	for (cJSON *o = v->child; o; o = o->next, i++) {
		cJSON *sys = cJSON_GetObjectItemCaseSensitive(o, "system");
		cJSON *text = cJSON_GetObjectItemCaseSensitive(o, "text");
		snprintf(where, sizeof where, "%s[%d].system", path, i);
		if (!cJSON_IsString(sys) || !sys->valuestring[0]) return bad(c, where, "missing system name");
		if (strcmp(sys->valuestring, "tie") == 0) return bad(c, where, "\"tie\" cannot be a system name");
		if (name_ok(c, where, sys->valuestring)) return c->e->code;
		for (cJSON *p = arr->child; p; p = p->next)
			if (strcmp(cJSON_GetObjectItem(p, "system")->valuestring, sys->valuestring) == 0)
				return bad(c, where, "duplicate system name");
		snprintf(where, sizeof where, "%s[%d].text", path, i);
		if (!cJSON_IsString(text)) return bad(c, where, text ? "text must be a string" : "missing text");
		cJSON *n = cJSON_CreateObject();
		cJSON_AddStringToObject(n, "system", sys->valuestring);
		cJSON_AddStringToObject(n, "text", text->valuestring);
		cJSON_AddItemToArray(arr, n);
	}
	return 0;
}

static int take_meta(struct ctx *c, cJSON *v, const char *path, cJSON *out)
{
	if (!v || cJSON_IsNull(v)) return 0;
	if (!cJSON_IsObject(v)) return bad(c, path, "meta must be an object");
	for (cJSON *m = v->child; m; m = m->next) {
		char where[300];
		snprintf(where, sizeof where, "%s.%.200s", path, m->string);
		if (name_ok(c, where, m->string)) return c->e->code;
		if (cJSON_IsObject(m) || cJSON_IsArray(m))
			return bad(c, where, "meta values must be strings, numbers or booleans");
	}
	cJSON_AddItemToObject(out, "meta", cJSON_Duplicate(v, 1));
	return 0;
}

static int build_canon(struct ctx *c, cJSON *root, const struct item_map *map, cJSON *out)
{
	const char *path;
	cJSON *v;
	if (!cJSON_IsObject(root)) return bad(c, "line", "each line must be a JSON object");
	v = field_of(root, map, "id", &path);
	if (take_id(c, v, path, out)) return c->e->code;
	v = field_of(root, map, "input", &path);
	if (take_input(c, v, path, out)) return c->e->code;
	cJSON *output = field_of(root, map, "output", &path);
	const char *opath = path;
	cJSON *outputs = field_of(root, map, "outputs", &path);
	if (output && outputs) return bad(c, "output", "an item has either output or outputs, not both");
	if (outputs) {
		if (take_outputs(c, outputs, path, out)) return c->e->code;
	} else if (!output) {
		return bad(c, opath, "missing output (or outputs for pairwise items)");
	} else if (!cJSON_IsString(output)) {
		return bad(c, opath, "output must be a string");
	} else {
		cJSON_AddStringToObject(out, "output", output->valuestring);
	}
	v = field_of(root, map, "reference", &path);
	if (v && !cJSON_IsNull(v)) {
		if (!cJSON_IsString(v)) return bad(c, path, "reference must be a string");
		cJSON_AddStringToObject(out, "reference", v->valuestring);
	}
	v = field_of(root, map, "meta", &path);
	if (take_meta(c, v, path, out)) return c->e->code;
	v = field_of(root, map, "gold", &path);
	if (v && !cJSON_IsNull(v)) {
		if (!cJSON_IsObject(v)) return bad(c, path, "gold must be an object of criterion answers");
		cJSON_AddItemToObject(out, "gold", cJSON_Duplicate(v, 1));
	}
	return 0;
}

/* the fields that are names (jsoncheck patterns), where the map puts them */
static void name_fields(const struct item_map *map, char buf[3][300], const char *names[4])
{
	static const char *const field[] = {"id", "outputs", "meta"}, *const fmt[] = {"%s", "%s[].system", "%s{}"};
	for (int k = 0; k < 3; k++) {
		const char *path = field[k];
		for (int i = 0; map && i < map->n; i++)
			if (strcmp(map->field[i], field[k]) == 0) path = map->path[i];
		snprintf(buf[k], 300, fmt[k], path);
		names[k] = buf[k];
	}
	names[3] = NULL;
}

static int json_error(struct ctx *c, const struct jc_error *je)
{
	if (je->syntax)
		return gs_fail(c->e, EX_DATAERR, "%s:%ld: invalid JSON at column %zu (line)", c->file, c->line, je->off + 1);
	return bad(c, je->field[0] ? je->field : "line", je->what);
}

static void fill_item(cJSON *root, struct item *it);

int item_parse_line(const char *line, size_t len, const char *file, long lineno, const struct item_map *map,
		    char **canon, struct item *it, struct gs_err *e)
{
	struct ctx c = {file, lineno, e};
	if (!depth_ok(line, len)) return bad(&c, "line", "nesting deeper than 64 levels");
	char buf[3][300];
	const char *names[4];
	struct jc_error je;
	name_fields(map, buf, names);
	cJSON *root = jsoncheck_parse(line, len, names, &je);
	if (!root) return json_error(&c, &je);
	cJSON *out = cJSON_CreateObject();
	int rc = build_canon(&c, root, map, out);
	cJSON_Delete(root);
	if (rc == 0) {
		jsoncheck_exact_numbers(out);   /* cJSON alone would print 15 digits */
		char *s = cJSON_PrintUnformatted(out);
		if (!s) abort();
		*canon = text_json_safe(s);   /* golden files are read in terminals too */
		cJSON_free(s);
		if (it) fill_item(out, it);
	}
	cJSON_Delete(out);
	return rc;
}

/* ---- canonical line -> struct item ---- */

static char *str_or_null(cJSON *o, const char *k)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

static char *print_json(cJSON *v)
{
	char *s = cJSON_PrintUnformatted(v);
	if (!s) abort();
	char *r = xstrdup(s);
	cJSON_free(s);
	return r;
}

static void fill_meta(struct item *it, cJSON *meta)
{
	it->meta_json = meta ? print_json(meta) : xstrdup("{}");
	it->nmeta = meta ? (size_t)cJSON_GetArraySize(meta) : 0;
	it->meta = xcalloc(it->nmeta + 1, sizeof *it->meta);
	size_t i = 0;
	for (cJSON *m = meta ? meta->child : NULL; m; m = m->next, i++) {
		it->meta[i].key = xstrdup(m->string);
		if (cJSON_IsString(m)) it->meta[i].value = xstrdup(m->valuestring);
		else it->meta[i].value = print_json(m);
	}
}

/* a canonical object (validated) -> struct item */
static void fill_item(cJSON *root, struct item *it)
{
	memset(it, 0, sizeof *it);
	it->id = str_or_null(root, "id");
	cJSON *in = cJSON_GetObjectItemCaseSensitive(root, "input");
	if (cJSON_IsArray(in)) {
		it->nturns = (size_t)cJSON_GetArraySize(in);
		it->turns = xcalloc(it->nturns + 1, sizeof *it->turns);
		size_t i = 0;
		for (cJSON *t = in->child; t; t = t->next, i++) {
			it->turns[i].role = str_or_null(t, "role");
			it->turns[i].content = str_or_null(t, "content");
		}
	} else {
		it->input = str_or_null(root, "input");
	}
	it->output = str_or_null(root, "output");
	cJSON *outs = cJSON_GetObjectItemCaseSensitive(root, "outputs");
	if (cJSON_IsArray(outs)) {
		it->noutputs = (size_t)cJSON_GetArraySize(outs);
		it->outputs = xcalloc(it->noutputs + 1, sizeof *it->outputs);
		size_t i = 0;
		for (cJSON *o = outs->child; o; o = o->next, i++) {
			it->outputs[i].system = str_or_null(o, "system");
			it->outputs[i].text = str_or_null(o, "text");
		}
	}
	it->reference = str_or_null(root, "reference");
	fill_meta(it, cJSON_GetObjectItemCaseSensitive(root, "meta"));
	cJSON *gold = cJSON_GetObjectItemCaseSensitive(root, "gold");
	it->gold_json = gold ? print_json(gold) : NULL;
}

int item_from_canon(const char *json, struct item *it, struct gs_err *e)
{
	cJSON *root = cJSON_Parse(json);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		memset(it, 0, sizeof *it);
		return gs_fail(e, EX_DATAERR, "store: an item's stored text is not valid JSON");
	}
	jsoncheck_exact_numbers(root);
	fill_item(root, it);
	cJSON_Delete(root);
	if (!it->id) {
		item_free(it);
		return gs_fail(e, EX_DATAERR, "store: an item has no id");
	}
	return 0;
}

void item_free(struct item *it)
{
	free(it->id);
	free(it->input);
	for (size_t i = 0; i < it->nturns; i++) {
		free(it->turns[i].role);
		free(it->turns[i].content);
	}
	free(it->turns);
	free(it->output);
	for (size_t i = 0; i < it->noutputs; i++) {
		free(it->outputs[i].system);
		free(it->outputs[i].text);
	}
	free(it->outputs);
	free(it->reference);
	for (size_t i = 0; i < it->nmeta; i++) {
		free(it->meta[i].key);
		free(it->meta[i].value);
	}
	free(it->meta);
	free(it->meta_json);
	free(it->gold_json);
	memset(it, 0, sizeof *it);
}

const char *item_meta(const struct item *it, const char *key)
{
	for (size_t i = 0; i < it->nmeta; i++)
		if (strcmp(it->meta[i].key, key) == 0) return it->meta[i].value;
	return NULL;
}

static long long utf8_len(const char *s)
{
	long long n = 0;
	for (; s && *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

long long item_output_len(const struct item *it)
{
	long long n = utf8_len(it->output);
	for (size_t i = 0; i < it->noutputs; i++) n += utf8_len(it->outputs[i].text);
	return n;
}
