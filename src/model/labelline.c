/* labelline.c: the label-line JSON shape shared by label files in git,
 * `goldset export` and `goldset import-labels` (see labelline.h), and the
 * safe mapping of rater names to file names under labels/. */
#include "model/labelline.h"
#include "model/jsoncheck.h"
#include "base/text.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

char *labelline_format(const struct store_label *l)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", l->ext_id);
	cJSON_AddStringToObject(o, "rubric", l->rubric);
	if (l->rubric_version >= 0) cJSON_AddNumberToObject(o, "rubric_version", l->rubric_version);
	cJSON_AddStringToObject(o, "rater", l->rater);
	if (l->left_sys && !l->right_sys) cJSON_AddStringToObject(o, "system", l->left_sys);
	if (l->left_sys && l->right_sys) cJSON_AddStringToObject(o, "left", l->left_sys);
	if (l->right_sys) cJSON_AddStringToObject(o, "right", l->right_sys);
	cJSON *vals = l->vals ? cJSON_Parse(l->vals) : NULL;
	cJSON_AddItemToObject(o, "labels", vals ? vals : l->vals ? cJSON_CreateObject() : cJSON_CreateNull());
	if (l->note && *l->note) cJSON_AddStringToObject(o, "note", l->note);
	if (l->batch) cJSON_AddStringToObject(o, "batch", l->batch);
	if (l->at) cJSON_AddStringToObject(o, "at", l->at);
	char *p = cJSON_PrintUnformatted(o);
	char *s = text_json_safe(p);   /* a line may reach a terminal: no raw controls */
	cJSON_free(p);
	cJSON_Delete(o);
	return s;
}

static int opt_string(cJSON *o, const char *k, char **out, const char *file, long lineno, struct gs_err *e)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	*out = NULL;
	if (!v || cJSON_IsNull(v)) return 0;
	if (!cJSON_IsString(v)) return gs_fail(e, EX_DATAERR, "%s:%ld: %s must be a string (%s)", file, lineno, k, k);
	*out = xstrdup(v->valuestring);
	return 0;
}

int labelline_parse(const char *line, size_t len, const char *file, long lineno, struct label_line *out,
		   struct gs_err *e)
{
	memset(out, 0, sizeof *out);
	out->rubric_version = -1;
	static const char *const names[] = {"id", "rubric", "rater", "left", "right", "system", "batch", NULL};
	struct jc_error je;
	cJSON *o = jsoncheck_parse(line, len, names, &je);
	if (!o && je.syntax) return gs_fail(e, EX_DATAERR, "%s:%ld: invalid JSON at column %zu (line)", file, lineno, je.off + 1);
	if (!o) return gs_fail(e, EX_DATAERR, "%s:%ld: %s (%s)", file, lineno, je.what, je.field[0] ? je.field : "line");
	int rc = 0;
	if (!cJSON_IsObject(o)) {
		rc = gs_fail(e, EX_DATAERR, "%s:%ld: a label line must be a JSON object (line)", file, lineno);
		goto done;
	}
	const char *keys[] = {"id", "rubric", "rater", "note", "at", "left", "right", "system", "batch"};
	char **dst[] = {&out->id, &out->rubric, &out->rater, &out->note, &out->at, &out->left, &out->right,
			&out->system, &out->batch};
	for (size_t i = 0; i < ARRAY_LEN(keys) && !rc; i++) rc = opt_string(o, keys[i], dst[i], file, lineno, e);
	if (rc) goto done;
	if (!out->id || !*out->id) {
		rc = gs_fail(e, EX_DATAERR, "%s:%ld: missing item id (id)", file, lineno);
		goto done;
	}
	if (out->system && (out->left || out->right)) {
		rc = gs_fail(e, EX_DATAERR, "%s:%ld: a label has a system or a left and right, not both (system)", file,
			     lineno);
		goto done;
	}
	if (!out->left != !out->right) {   /* a comparison names both sides; one alone would read as a system */
		rc = gs_fail(e, EX_DATAERR, "%s:%ld: a comparison needs both left and right (%s)", file, lineno,
			     out->left ? "right" : "left");
		goto done;
	}
	cJSON *ver = cJSON_GetObjectItemCaseSensitive(o, "rubric_version");
	if (cJSON_IsNumber(ver) && ver->valuedouble >= 0 && ver->valuedouble <= 1e9 &&
	    ver->valuedouble == (int)ver->valuedouble)
		out->rubric_version = (int)ver->valuedouble;
	else if (ver && !cJSON_IsNull(ver)) {
		rc = gs_fail(e, EX_DATAERR, "%s:%ld: rubric_version must be a whole number from 0 (rubric_version)", file, lineno);
		goto done;
	}
	if (out->at && gs_at_ms(out->at) < 0) {
		rc = gs_fail(e, EX_DATAERR, "%s:%ld: at must be a UTC time such as 2026-11-22T10:31:07.120Z (at)", file,
			     lineno);
		goto done;
	}
	cJSON *labels = cJSON_GetObjectItemCaseSensitive(o, "labels");
	if (cJSON_IsNull(labels)) goto done;   /* withdrawn: a tombstone */
	if (!cJSON_IsObject(labels)) {
		rc = gs_fail(e, EX_DATAERR, "%s:%ld: %s (labels)", file, lineno,
			     labels ? "labels must be an object" : "missing labels");
		goto done;
	}
	char *p = cJSON_PrintUnformatted(labels);
	out->labels = xstrdup(p);
	cJSON_free(p);
done:
	cJSON_Delete(o);
	if (rc) label_line_free(out);
	return rc;
}

void label_line_free(struct label_line *l)
{
	free(l->id);
	free(l->rubric);
	free(l->rater);
	free(l->labels);
	free(l->note);
	free(l->at);
	free(l->left);
	free(l->right);
	free(l->system);
	free(l->batch);
	memset(l, 0, sizeof *l);
}

static int safe_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
	       c == '_' || c == '.';
}

char *labelline_file_name(const char *rater)
{
	struct sbuf b = {0};
	for (const unsigned char *p = (const unsigned char *)rater; *p; p++) {
		if (safe_char(*p) && !(p == (const unsigned char *)rater && *p == '.')) sb_addc(&b, (char)*p);
		else sb_addf(&b, "%%%02X", *p);
	}
	if (!b.len) sb_add(&b, "%00");
	return sb_take(&b);
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *labelline_unescape(const char *name)
{
	struct sbuf b = {0};
	for (const char *p = name; *p; p++) {
		if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
			char c = (char)(hexval(p[1]) * 16 + hexval(p[2]));
			if (c) sb_addc(&b, c);
			p += 2;
		} else {
			sb_addc(&b, *p);
		}
	}
	return sb_take(&b);
}

/* a JSON array of one or two names */
static char *names_key(const char *a, const char *b)
{
	cJSON *arr = cJSON_CreateArray();
	cJSON_AddItemToArray(arr, cJSON_CreateString(a));
	if (b) cJSON_AddItemToArray(arr, cJSON_CreateString(b));
	char *p = cJSON_PrintUnformatted(arr);
	char *s = xstrdup(p);
	cJSON_free(p);
	cJSON_Delete(arr);
	return s;
}

char *labelline_pair_key(const char *a, const char *b)
{
	return strcmp(a, b) > 0 ? names_key(b, a) : names_key(a, b);
}

char *labelline_system_key(const char *sys)
{
	return names_key(sys, NULL);
}
