/* rubric.h: rubrics (rubrics/NAME.json, goldset-rubric(5)). rubric.c parses and
 * validates a rubric, and converts label values between JSON (as stored and
 * exported) and "slots": one small integer per answer the rater gives.
 * Each criterion is one slot, except a checklist, which is one yes/no slot
 * per item. A slot value is an option index (binary/choice: position in
 * labels/options; scale: value - min; checklist: 0 no, 1 yes; preference:
 * 0 A (left), 1 B (right), 2 tie), or -1 when unanswered. */
#ifndef GOLDSET_RUBRIC_H
#define GOLDSET_RUBRIC_H
#include "base/util.h"

enum crit_type { CRIT_BINARY, CRIT_SCALE, CRIT_CHOICE, CRIT_CHECKLIST, CRIT_PREFERENCE };
enum level { LEVEL_NOMINAL, LEVEL_ORDINAL, LEVEL_INTERVAL, LEVEL_RATIO };

struct criterion {
	char *id;
	enum crit_type type;
	char *question;          /* never NULL ("" if none) */
	char **options;          /* binary labels, choice options, checklist items, preference A/B/tie */
	size_t noptions;
	int min, max;            /* scale */
	char **anchors;          /* scale: anchors[v - min], NULL entries when missing */
	enum level level;
};

struct rubric {
	char *name;
	int version;
	char *mode;              /* "single" | "pairwise" */
	char *instructions;      /* "" if none */
	int judge_reference;     /* "judge_reference": an item's reference goes into judge prompts (default 1) */
	struct criterion *crit;
	size_t ncrit;
	char *hash;              /* content_hash() of the file text */
	char *text;              /* the file text as read */
};

struct slot_info {
	const struct criterion *crit;
	int sub;                 /* checklist item index, else -1 */
	int nopts;               /* values 0..nopts-1 */
	char name[512];          /* "helpful", or "checks/Cites the right entities" */
	enum level level;
};

/* warn(ctx, msg) is called for warnings (may be NULL). Errors: one line,
 * "FILE: ..." or "FILE:LINE:COL: invalid JSON"; EX_DATAERR. */
int rubric_parse(const char *text, size_t len, const char *file, struct rubric **out, struct gs_err *e,
		 void (*warn)(void *ctx, const char *msg), void *wctx);
/* like rubric_parse, but lists every problem through report() and returns
 * the number found (for `goldset rubric check`) */
int rubric_check(const char *text, size_t len, const char *file,
		 void (*report)(void *ctx, int is_error, const char *msg), void *ctx);
void rubric_free(struct rubric *r);
const char *crit_type_name(enum crit_type t);
const char *level_name(enum level l);
int level_parse(const char *s, enum level *out);

size_t rubric_slot_count(const struct rubric *r);
/* the criterion of a slot (*sub: its checklist item, else -1), NULL past the last */
const struct criterion *rubric_slot_crit(const struct rubric *r, size_t slot, int *sub);
void rubric_slot_info(const struct rubric *r, size_t slot, struct slot_info *out);
/* display text of value v of a slot ("yes", "4", "billing", "A") */
const char *rubric_value_text(const struct rubric *r, size_t slot, int v, char buf[32]);
/* numeric value of v for interval/ratio statistics (scale: min + v) */
double rubric_value_number(const struct rubric *r, size_t slot, int v);

/* slots -> labels object text, in rubric order; left/right name the systems
 * for preference criteria (pairwise). Unanswered slots are left out. */
char *rubric_values_to_json(const struct rubric *r, const int *slots, const char *left, const char *right);
/* labels object text -> slots, validating every value against the rubric;
 * errors name the criterion; unknown criteria are errors. `where` prefixes
 * messages ("labels.jsonl:3"). complete: every slot must be answered. */
int rubric_values_from_json(const struct rubric *r, const char *json, const char *left, const char *right,
			    int complete, int *slots, const char *where, struct gs_err *e);
/* which side ("A", "B", "tie") each preference was given: JSON object text */
char *rubric_sides_json(const struct rubric *r, const int *slots);
#endif
