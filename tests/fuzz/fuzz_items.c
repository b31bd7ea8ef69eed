/* fuzz_items.c: libFuzzer entry for the golden-set item parser (src/model/items.c):
 * the streaming line reader (BOM, CR, NUL bytes, invalid UTF-8), --map specs
 * and item_parse_line. The input is a whole JSONL file; when its first byte
 * is odd, the first line is taken as a --map spec. Besides "no crash, no
 * leak, no undefined behaviour", it checks the parser's promises:
 *   - an accepted line gives a canonical line that parses again (without a
 *     map) to exactly itself, with the same fields;
 *   - item_from_canon() reads the canonical line back to the same item;
 *   - an accepted line passed the validator (src/model/jsoncheck.c) and so did
 *     its canonical line: no NUL or invalid UTF-8 in any field (each is its
 *     full length), the id, system names and meta keys are names
 *     (jsoncheck_name), every number printed reads back as itself;
 *   - a line the validator refuses (other than as invalid JSON) is refused;
 *   - an error has a sysexits code and a message that is one line with no
 *     raw control character (fuzz.h), whatever the line held.
 * Built by tests/fuzz/run.sh (clang -fsanitize=fuzzer,address,undefined);
 * tests/fuzz/replay.c drives it without libFuzzer for the regression set. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "model/items.h"
#include "model/jsoncheck.h"

static int same(const char *a, const char *b)
{
	if (!a || !b) return a == b;
	return strcmp(a, b) == 0;
}

static void same_item(const struct item *a, const struct item *b)
{
	die_if(!same(a->id, b->id) || !same(a->input, b->input) || !same(a->output, b->output));
	die_if(!same(a->reference, b->reference) || !same(a->meta_json, b->meta_json));
	die_if(!same(a->gold_json, b->gold_json));
	die_if(a->nturns != b->nturns || a->noutputs != b->noutputs || a->nmeta != b->nmeta);
	for (size_t i = 0; i < a->nturns; i++)
		die_if(!same(a->turns[i].role, b->turns[i].role) || !same(a->turns[i].content, b->turns[i].content));
	for (size_t i = 0; i < a->noutputs; i++)
		die_if(!same(a->outputs[i].system, b->outputs[i].system) || !same(a->outputs[i].text, b->outputs[i].text));
	for (size_t i = 0; i < a->nmeta; i++)
		die_if(!same(a->meta[i].key, b->meta[i].key) || !same(a->meta[i].value, b->meta[i].value));
	die_if(item_output_len(a) != item_output_len(b));
}

/* the --map spec is typed by the user on the command line: messages may
 * echo it as it is, so they are held to check_msg() only when it is safe */
static int map_unsafe;

static void check_error(const struct gs_err *e)
{
	die_if(e->code != EX_DATAERR && e->code != EX_IOERR && e->code != EX_USAGE);
	die_if(e->msg[0] == 0);
	if (!map_unsafe) check_msg(e->msg);
}

static void is_text(const char *s)
{
	if (s) die_if(!utf8_valid(s, strlen(s), NULL));
}

static void is_name(const char *s)
{
	char why[96];
	die_if(jsoncheck_name(s, strlen(s), why) != NULL);
}

/* what the validator promises of an accepted item */
static void validated(const char *line, size_t len, const char *canon, const struct item *it)
{
	struct jc_error je;
	die_if(memchr(line, 0, len) != NULL);
	die_if(jsoncheck_text(line, len, NULL, &je) != 0);
	die_if(jsoncheck_text(canon, strlen(canon), NULL, &je) != 0);
	is_name(it->id);
	is_text(it->input);
	is_text(it->output);
	is_text(it->reference);
	for (size_t i = 0; i < it->nturns; i++) {
		is_text(it->turns[i].role);
		is_text(it->turns[i].content);
	}
	for (size_t i = 0; i < it->noutputs; i++) {
		is_name(it->outputs[i].system);
		is_text(it->outputs[i].text);
	}
	for (size_t i = 0; i < it->nmeta; i++) {
		is_name(it->meta[i].key);
		is_text(it->meta[i].value);
	}
}

static void one_line(const char *line, size_t len, long lineno, const struct item_map *map)
{
	struct gs_err e = {0};
	char *canon = NULL;
	struct item it;
	struct jc_error je;
	int refused = jsoncheck_text(line, len, NULL, &je) && !je.syntax;
	if (item_parse_line(line, len, "fuzz.jsonl", lineno, map, &canon, &it, &e)) {
		check_error(&e);
		return;
	}
	die_if(refused);
	die_if(!it.id || !it.meta_json);
	validated(line, len, canon, &it);
	for (size_t i = 0; i < it.nmeta; i++) die_if(item_meta(&it, it.meta[i].key) == NULL);
	/* the canonical line is a fixed point of the parser */
	char *again = NULL;
	struct item it2;
	die_if(item_parse_line(canon, strlen(canon), "canon", 1, NULL, &again, &it2, &e) != 0);
	die_if(strcmp(canon, again) != 0);
	same_item(&it, &it2);
	item_free(&it2);
	/* and reads back from the store's form */
	struct item it3;
	die_if(item_from_canon(canon, &it3, &e) != 0);
	same_item(&it, &it3);
	item_free(&it3);
	free(again);
	free(canon);
	item_free(&it);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1) return 0;
	int want_map = data[0] & 1;
	map_unsafe = 0;
	FILE *f = fmemopen((void *)(data + 1), size - 1 ? size - 1 : 1, "rb");
	if (!f) return 0;
	if (size == 1) {
		fclose(f);
		return 0;
	}
	struct line_reader r;
	memset(&r, 0, sizeof r);
	r.f = f;
	r.file = "fuzz.jsonl";
	struct item_map map, *mp = NULL;
	struct gs_err e = {0};
	const char *line;
	size_t len;
	int rc;
	while ((rc = line_reader_next(&r, &line, &len, &e)) == 1) {
		die_if(line[len] != 0);   /* NUL bytes inside are the parser's to refuse */
		if (want_map && !mp) {
			map_unsafe = fuzz_unsafe_text(line);
			if (item_map_parse(line, &map, &e)) {
				check_error(&e);
				break;
			}
			mp = &map;
			continue;
		}
		if (strspn(line, " \t") == len) continue;
		one_line(line, len, r.lineno, mp);
	}
	if (rc < 0 || rc > 1) check_error(&e);
	if (mp) item_map_free(mp);
	line_reader_close(&r);
	return 0;
}
