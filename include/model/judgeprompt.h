/* judgeprompt.h: what `goldset judge` sends to a judge command and how it
 * reads the answer back (src/model/judgeprompt.c, no I/O): a prompt
 * template (judges/NAME.prompt) filled in from a rubric and an item, and
 * the judge's standard output turned into rubric slots, validated like
 * any label (rubric_values_from_json).
 *
 * A template is text with variables {{NAME}} and sections
 * {{#NAME}}...{{/NAME}} that are kept only when NAME is not empty (single,
 * pairwise: the rubric's mode; reference, instructions: when there is
 * one). Variables: rubric, instructions, criteria, input, output,
 * output_a, output_b, reference, answer_format. An unknown name is an
 * error, so a typo never sends a prompt with a hole in it.
 *
 * The answer is one JSON object: {"CRITERION_ID": value, ..., "comment":
 * "..."}, values as in a label line (goldset-items(5)) except that a
 * preference is "A", "B" or "tie"; the object may stand alone or sit in a
 * ```json fenced block inside prose. */
#ifndef GOLDSET_JUDGEPROMPT_H
#define GOLDSET_JUDGEPROMPT_H
#include "model/items.h"
#include "model/rubric.h"

/* the template written to judges/NAME.prompt on first use */
extern const char judge_default_template[];

/* EX_DATAERR with "FILE:LINE: unknown template variable {{x}}" (or an
 * unclosed section) when the template cannot be used */
int judge_template_check(const char *tmpl, const char *file, struct gs_err *e);

/* the prompt for item it under rubric r (malloc'd, NUL-terminated). For a
 * pairwise rubric, a and b are the indexes in it->outputs of the answers
 * shown as A and B (ignored otherwise). The template must have passed
 * judge_template_check. */
char *judge_prompt_render(const char *tmpl, const struct rubric *r, const struct item *it, size_t a, size_t b);

/* the judge's standard output text[0..n) read as an answer: slots (room
 * for rubric_slot_count(r), every one answered) and the comment (*note:
 * malloc'd or NULL). A preference slot is 0 for A, 1 for B, 2 for tie.
 * EX_DATAERR with why in e (no JSON object, not valid, a criterion
 * missing or out of range). */
int judge_answer_parse(const struct rubric *r, const char *text, size_t n, int *slots, char **note,
		       struct gs_err *e);
#endif
