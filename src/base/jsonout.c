/* jsonout.c: builds --json output with cJSON behind a small API (see
 * jsonout.h), so commands never include cJSON. NaN/inf become null, and
 * unsafe code points inside strings are written as \uXXXX (text.h). */
#include "base/jsonout.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>

#include "base/text.h"
#include "base/util.h"

#define J(o) ((cJSON *)(o))

struct jo *jo_object(void) { return (struct jo *)cJSON_CreateObject(); }
struct jo *jo_array(void) { return (struct jo *)cJSON_CreateArray(); }

static void put(struct jo *o, const char *key, cJSON *v)
{
	if (!v) abort();
	if (cJSON_IsArray(J(o)))
		cJSON_AddItemToArray(J(o), v);
	else
		cJSON_AddItemToObject(J(o), key, v);
}

void jo_str(struct jo *o, const char *key, const char *v)
{
	put(o, key, v ? cJSON_CreateString(v) : cJSON_CreateNull());
}

void jo_num(struct jo *o, const char *key, double v)
{
	put(o, key, isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull());
}

void jo_int(struct jo *o, const char *key, long long v) { put(o, key, cJSON_CreateNumber((double)v)); }
void jo_bool(struct jo *o, const char *key, int v) { put(o, key, cJSON_CreateBool(v)); }
void jo_null(struct jo *o, const char *key) { put(o, key, cJSON_CreateNull()); }

void jo_pair(struct jo *o, const char *key, double lo, double hi)
{
	if (!isfinite(lo) || !isfinite(hi)) {
		jo_null(o, key);
		return;
	}
	cJSON *a = cJSON_CreateArray();
	cJSON_AddItemToArray(a, cJSON_CreateNumber(lo));
	cJSON_AddItemToArray(a, cJSON_CreateNumber(hi));
	put(o, key, a);
}

struct jo *jo_add_object(struct jo *o, const char *key)
{
	cJSON *c = cJSON_CreateObject();
	put(o, key, c);
	return (struct jo *)c;
}

struct jo *jo_add_array(struct jo *o, const char *key)
{
	cJSON *c = cJSON_CreateArray();
	put(o, key, c);
	return (struct jo *)c;
}

void jo_add(struct jo *o, const char *key, struct jo *child) { put(o, key, J(child)); }

int jo_raw(struct jo *o, const char *key, const char *json)
{
	cJSON *v = cJSON_Parse(json);
	if (!v) return -1;
	put(o, key, v);
	return 0;
}

char *jo_string(const struct jo *o, int pretty)
{
	char *s = pretty ? cJSON_Print(J(o)) : cJSON_PrintUnformatted(J(o));
	if (!s) abort();
	char *r = text_json_safe(s);   /* strings hold untrusted text: no raw C1 or bidi controls */
	cJSON_free(s);
	return r;
}

void jo_print(const struct jo *o, FILE *f)
{
	char *s = jo_string(o, 1);
	fputs(s, f);
	fputc('\n', f);
	free(s);
}

void jo_free(struct jo *o) { cJSON_Delete(J(o)); }
