/* jsonout.h: building JSON output (--json) with fixed key order. A thin
 * layer over cJSON so commands never include cJSON themselves. NaN and
 * infinities print as null. Keys are added in the order called. */
#ifndef GOLDSET_JSONOUT_H
#define GOLDSET_JSONOUT_H
#include <stdio.h>
struct jo;                                   /* an object or array being built */
struct jo *jo_object(void);
struct jo *jo_array(void);
/* key is ignored (pass NULL) when o is an array */
void jo_str(struct jo *o, const char *key, const char *v);   /* v NULL -> null */
void jo_num(struct jo *o, const char *key, double v);        /* NaN -> null */
void jo_int(struct jo *o, const char *key, long long v);
void jo_bool(struct jo *o, const char *key, int v);
void jo_null(struct jo *o, const char *key);
void jo_pair(struct jo *o, const char *key, double lo, double hi); /* [lo, hi] or null if either is NaN */
struct jo *jo_add_object(struct jo *o, const char *key);
struct jo *jo_add_array(struct jo *o, const char *key);
void jo_add(struct jo *o, const char *key, struct jo *child);  /* takes ownership */
/* raw JSON text (must be valid) parsed and added; returns 0 or -1 */
int jo_raw(struct jo *o, const char *key, const char *json);
char *jo_string(const struct jo *o, int pretty);             /* malloc'd */
void jo_print(const struct jo *o, FILE *f);                  /* pretty, newline */
void jo_free(struct jo *o);
#endif
