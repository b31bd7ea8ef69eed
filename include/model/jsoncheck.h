/* jsoncheck.h: the one validator for the strings and numbers of every JSON
 * file goldset reads from others (items, label lines, rubrics) and for the
 * names given on the command line. Workspaces arrive through git and item
 * text comes from production logs, so all of it is untrusted.
 *
 * jsoncheck_text() scans JSON text before cJSON parses it, because cJSON
 * keeps quiet about what it cannot represent. It refuses, naming the byte
 * offset and the field (a path such as "meta.n" or "criteria[2].id"):
 *   - NUL anywhere: a raw byte, or \u0000 in a string (cJSON would cut the
 *     string there);
 *   - invalid UTF-8 (bad bytes, overlong forms, UTF-8-encoded surrogates,
 *     values past U+10FFFF) and surrogate escapes that do not pair up
 *     (\ud800 alone);
 *   - numbers that a double cannot keep: too large (1e999 would become
 *     null), too small (1e-999 would become 0; a subnormal such as 5e-324
 *     keeps fewer digits), more than 17 significant digits, or reading back
 *     as another number (9007199254740993): the double's shortest form, or
 *     its 17-digit form, must be the number written, as a decimal;
 *   - the same key twice in one object, at any depth;
 *   - names (the fields listed by the caller's patterns) that could not be
 *     shown as themselves: see jsoncheck_name().
 * Anything that is not JSON is left to cJSON, whose column is reported.
 *
 * Patterns name the string fields that are names: dotted keys ("id",
 * "outputs[].system", "criteria[].items[]"); "[]" is any array element, "*"
 * any key, a key of digits also matches that array index (as --map paths
 * do), and a final "{}" makes the keys of that object names ("meta{}"). */
#ifndef GOLDSET_JSONCHECK_H
#define GOLDSET_JSONCHECK_H
#include <stddef.h>
#include "base/util.h"

#define JC_NAME_MAX 200      /* bytes; rubric and set names (file names): 100 */

struct cJSON;

struct jc_error {
	int syntax;          /* 1: not JSON (what is "invalid JSON") */
	size_t off;          /* byte offset of the problem */
	char what[200];      /* "NUL character (\u0000) in a string" */
	char field[240];     /* "meta.n", "input[0].content"; "" for the text as a whole */
};

/* 0 when s[0..n) is acceptable, else 1 with *err filled. names: a
 * NULL-terminated list of patterns (may be NULL). */
int jsoncheck_text(const char *s, size_t n, const char *const *names, struct jc_error *err);
/* the byte offset in s[0..n) of the value at path (a field as jc_error
 * names it: "criteria[2].max"; "" for the whole text), or -1 when there is
 * no such value: where a problem found after parsing is */
long jsoncheck_locate(const char *s, size_t n, const char *path);
/* jsoncheck_text(), then cJSON: the parsed value (one value, then only
 * white space), or NULL with *err filled (err->syntax for invalid JSON,
 * with cJSON's position when cJSON refused it too) */
struct cJSON *jsoncheck_parse(const char *s, size_t n, const char *const *names, struct jc_error *err);

/* NULL when s[0..n) can be a name (an id, rater, rubric, criterion, set,
 * batch, tag, checklist item, system, meta key): not empty, at most
 * JC_NAME_MAX bytes, valid UTF-8, no code point that text.c would show in
 * an escaped form (C0, DEL, C1 controls, bidirectional controls U+061C,
 * U+200E/F, U+202A-E, U+2066-9, invisible format characters, line and
 * paragraph separators, noncharacters). Else why not, to follow "a name
 * cannot ": "contain control character U+001B" (in why, or static). */
const char *jsoncheck_name(const char *s, size_t n, char why[96]);
/* a name given on the command line (flag: "--as"): 0, or EX_USAGE with
 * "FLAG: a name cannot ..." in e */
int jsoncheck_flag(const char *flag, const char *value, struct gs_err *e);
/* the same for a command: 0, or EX_USAGE after one line on stderr */
int jsoncheck_usage(const char *flag, const char *value);

/* cJSON prints a number with 15 digits when those come within an epsilon
 * of it (0.30000000000000004 as 0.3): each such number of the tree becomes
 * a raw value of 17 digits, so that printing the tree keeps every number
 * as read and prints all others as cJSON always did */
void jsoncheck_exact_numbers(struct cJSON *root);
/* the shortest decimal that reads back as d ("%.*g"); returns its length */
int jsoncheck_shortest(double d, char out[32]);
#endif
