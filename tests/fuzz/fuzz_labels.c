/* fuzz_labels.c: libFuzzer entry for the label-line reader (src/model/labelline.c:
 * labelline_parse, labelline_format, the rater file-name encoding) and the
 * label values check (src/model/rubric.c: rubric_values_from_json), which is what
 * `goldset import-labels` and `goldset pull` run on every line of a label
 * file. The input is a label file; each line is parsed, and when accepted:
 *   - its labels object is checked against four fixed rubrics (every
 *     criterion type, single and pairwise); accepted values must survive
 *     slots -> JSON -> slots;
 *   - formatted back (labelline_format) it parses to the same fields;
 *   - its rater and id, as file names, contain only [A-Za-z0-9._%-], never
 *     start with '.', and decode back to themselves;
 *   - it passed the validator (src/model/jsoncheck.c): id, rubric, rater, left
 *     and right are names (jsoncheck_name), note and at valid UTF-8 of
 *     their full length; a line the validator refuses (other than as
 *     invalid JSON) is refused.
 * Built by tests/fuzz/run.sh; replayed by tests/fuzz/replay.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "model/csv.h"
#include "model/jsoncheck.h"
#include "model/labelline.h"
#include "model/rubric.h"

static const char *const RUBRICS[] = {
	"{\"name\":\"qa\",\"version\":2,\"criteria\":[{\"id\":\"ok\",\"type\":\"binary\"},"
	"{\"id\":\"stars\",\"type\":\"scale\",\"min\":1,\"max\":5},"
	"{\"id\":\"topic\",\"type\":\"choice\",\"options\":[\"billing\",\"tech\",\"other\"]},"
	"{\"id\":\"checks\",\"type\":\"checklist\",\"items\":[\"cites\",\"concise\",\"safe\"]}]}",
	"{\"name\":\"neg\",\"criteria\":[{\"id\":\"t\",\"type\":\"scale\",\"min\":-3,\"max\":3,\"level\":\"interval\"},"
	"{\"id\":\"yn\",\"type\":\"binary\",\"labels\":[\"bad\",\"good\"]}]}",
	"{\"name\":\"pw\",\"mode\":\"pairwise\",\"criteria\":[{\"id\":\"better\",\"type\":\"preference\"},"
	"{\"id\":\"safer\",\"type\":\"preference\"}]}",
	"{\"name\":\"uni\",\"criteria\":[{\"id\":\"\xc3\xa9tat\",\"type\":\"choice\",\"options\":[\"\xe2\x80\xae\",\"a\\u0001b\",\"x\"]}]}",
};
#define NRUB (sizeof RUBRICS / sizeof RUBRICS[0])
static struct rubric *rub[NRUB];

static void load_rubrics(void)
{
	for (size_t i = 0; i < NRUB; i++) {
		struct gs_err e;
		die_if(rubric_parse(RUBRICS[i], strlen(RUBRICS[i]), "fixed", &rub[i], &e, NULL, NULL) != 0);
	}
}

static void check_values(const struct label_line *ll)
{
	for (size_t i = 0; i < NRUB; i++) {
		const struct rubric *r = rub[i];
		size_t n = rubric_slot_count(r);
		int slots[16], back[16];
		struct gs_err e = {0};
		for (int complete = 0; complete < 2; complete++) {
			if (rubric_values_from_json(r, ll->labels, ll->left, ll->right, complete, slots, "f:1", &e)) {
				die_if(e.code != EX_DATAERR || strncmp(e.msg, "f:1: ", 5) != 0);
				check_msg(e.msg);
				continue;
			}
			char *json = rubric_values_to_json(r, slots, ll->left, ll->right);
			die_if(rubric_values_from_json(r, json, ll->left, ll->right, complete, back, "f:1", &e) != 0);
			for (size_t k = 0; k < n; k++) die_if(back[k] != slots[k]);
			free(json);
			char *sides = rubric_sides_json(r, slots);
			free(sides);
		}
	}
}

static void check_file_name(const char *s)
{
	if (!*s) return;
	char *f = labelline_file_name(s);
	die_if(!f[0] || f[0] == '.');
	for (const char *p = f; *p; p++)
		die_if(!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			 *p == '-' || *p == '_' || *p == '.' || *p == '%'));
	char *back = labelline_unescape(f);
	die_if(strcmp(back, s) != 0);
	free(back);
	free(f);
}

static void is_name(const char *s)
{
	char why[96];
	if (s && *s) die_if(jsoncheck_name(s, strlen(s), why) != NULL);
}

static void validated(const char *line, size_t len, const struct label_line *ll)
{
	struct jc_error je;
	die_if(jsoncheck_text(line, len, NULL, &je) != 0);
	is_name(ll->id);
	is_name(ll->rubric);
	is_name(ll->rater);
	is_name(ll->left);
	is_name(ll->right);
	if (ll->note) die_if(!utf8_valid(ll->note, strlen(ll->note), NULL));
	if (ll->at) die_if(!utf8_valid(ll->at, strlen(ll->at), NULL));
	die_if(!utf8_valid(ll->labels, strlen(ll->labels), NULL));
}

static int same(const char *a, const char *b)
{
	if (!a || !b) return a == b;
	return strcmp(a, b) == 0;
}

static void check_format(const struct label_line *ll)
{
	struct store_label l = {0};
	l.ext_id = ll->id;
	l.rubric = ll->rubric ? ll->rubric : "r";
	l.rubric_version = ll->rubric_version >= 0 ? ll->rubric_version : 1;   /* the store always has one */
	l.rater = ll->rater ? ll->rater : "someone";
	l.vals = ll->labels;
	l.note = ll->note;
	l.left_sys = ll->system ? ll->system : ll->left;   /* a system label: its system on the left, no right */
	l.right_sys = ll->system ? NULL : ll->right;
	l.at = ll->at;
	char *line = labelline_format(&l);
	struct label_line b;
	struct gs_err e;
	die_if(labelline_parse(line, strlen(line), "fmt", 1, &b, &e) != 0);
	die_if(!same(b.id, l.ext_id) || !same(b.rubric, l.rubric) || !same(b.rater, l.rater));
	die_if(!same(b.labels, ll->labels) || !same(b.left, ll->left) || !same(b.right, ll->right));
	die_if(!same(b.system, ll->system));
	die_if(!same(b.at, ll->at) || !same(b.note, ll->note && *ll->note ? ll->note : NULL));
	/* the formatted line is a fixed point */
	l.ext_id = b.id;
	l.vals = b.labels;
	char *again = labelline_format(&l);
	die_if(strcmp(line, again) != 0);
	free(again);
	label_line_free(&b);
	free(line);
	char *key = labelline_pair_key(ll->id, l.rater);
	free(key);
	char *q = csv_quote(ll->id);
	free(q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!rub[0]) load_rubrics();
	const char *p = (const char *)data, *end = p + size;
	long lineno = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = malloc(len + 1);   /* exactly sized: ASan sees any overread */
		memcpy(line, p, len);
		line[len] = 0;
		lineno++;
		struct label_line ll;
		struct gs_err e = {0};
		struct jc_error je;
		int refused = jsoncheck_text(line, len, NULL, &je) && !je.syntax;
		if (labelline_parse(line, len, "f", lineno, &ll, &e) == 0) {
			die_if(refused);
			die_if(!ll.id || !ll.id[0] || !ll.labels);
			validated(line, len, &ll);
			check_values(&ll);
			check_format(&ll);
			check_file_name(ll.id);
			if (ll.rater) check_file_name(ll.rater);
			label_line_free(&ll);
		} else {
			die_if(e.code != EX_DATAERR);
			check_msg(e.msg);
		}
		free(line);
		p += len + 1;
	}
	return 0;
}
