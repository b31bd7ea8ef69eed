/* presets.h: the result files of other eval tools read as goldset's own
 * lines (presets.c): promptfoo's `eval -o out.json`, Inspect's JSON eval
 * log, OpenAI Evals' record log (JSONL). Each result becomes an item line
 * (goldset-items(5); items.c validates it) and its graders' scores become
 * label lines under a rubric (labelline.h and rubric.c validate them).
 *
 * An item's id is KEY@SYSTEM: KEY the tool's own (promptfoo: the test's
 * number, with ".pN" for its Nth prompt when the run had several; Inspect: the
 * sample id, with "#N" for epoch N > 1; OpenAI Evals: the sample_id) and
 * SYSTEM the provider's label or id, or the model; meta.system holds the
 * system too. Running the same tests again (another judge prompt) gives
 * the same ids, so the new scores label the same items.
 *
 * Scores to values (preset_labels): a grader (promptfoo: the assertion's
 * metric, else its type, "llm-rubric"; Inspect: the scorer's name; OpenAI
 * Evals: the event type, "match") goes to the criterion --map names
 * (GRADER=CRITERION), else to the criterion of its own name, else nowhere.
 *   binary: pass (promptfoo's pass, Inspect's C or true or 1, a correct
 *           match) is the criterion's second label ("yes"), fail (I,
 *           false, 0) its first;
 *   scale:  promptfoo's score (0 to 1) is stretched over min..max and
 *           rounded; Inspect's C is max, I min, P the middle (rounded
 *           down), a number must be a whole one on the scale.
 * Inspect's N (no answer) and P on a binary criterion give no value. Other
 * criterion types cannot be mapped. The grader's reason (promptfoo's
 * reason, Inspect's explanation) becomes the label's note.
 *
 * The text is untrusted: it is scanned by jsoncheck_parse() first, and a
 * problem is reported as "FILE:LINE: what (field)". No I/O here. */
#ifndef GOLDSET_PRESETS_H
#define GOLDSET_PRESETS_H
#include <glib.h>
#include <stddef.h>

#include "base/util.h"
#include "model/rubric.h"

enum preset { PRESET_JSONL, PRESET_PROMPTFOO, PRESET_INSPECT, PRESET_OPENAI_EVALS };
#define PRESET_NAMES "jsonl, promptfoo, inspect or openai-evals"

/* 0, or -1 when name is none of PRESET_NAMES */
int preset_parse(const char *name, enum preset *out);

/* One line made from a record of the file: json (an item line or a label
 * line), and where the record is: its line, or (line 0) its path for
 * jsoncheck_locate ("results.results[3]") */
struct preset_rec { char *json; char *path; long line; };
/* a GPtrArray of struct preset_rec *, freeing them */
GPtrArray *preset_recs_new(void);
/* "FILE:LINE" of a record, in where */
void preset_rec_where(const struct preset_rec *r, const char *file, const char *text, size_t len, char *where,
		      size_t n);

/* --map for scores: GRADER=CRITERION,... (several --map add up) */
#define PRESET_MAP_MAX 32
struct preset_map { char *grader[PRESET_MAP_MAX], *crit[PRESET_MAP_MAX]; int n; };
int preset_map_parse(const char *spec, struct preset_map *m, struct gs_err *e);
void preset_map_free(struct preset_map *m);

/* the item lines of a file's text into recs */
int preset_items(enum preset p, const char *file, const char *text, size_t len, GPtrArray *recs, struct gs_err *e);

/* graders seen that map to no criterion, and values left out (N, P) */
struct preset_label_stats { long long unmapped, no_value; };
/* the label lines ({"id", "labels", "note"}) of the file's scores under
 * rubric r into recs; a record whose graders give no value gives none.
 * EX_DATAERR when no grader of the file maps to a criterion of r. */
int preset_labels(enum preset p, const char *file, const char *text, size_t len, const struct rubric *r,
		  const struct preset_map *m, GPtrArray *recs, struct preset_label_stats *st, struct gs_err *e);
#endif
